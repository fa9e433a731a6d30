import hashlib
import io
import stat

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from onestop.audit.models import AuditEvent
from onestop.documents import errors
from onestop.documents.inspection import MAX_IMAGE_PIXELS, clean_name
from onestop.documents.models import Document, DocumentKind, MediaType
from onestop.documents.services import document_open, document_store
from onestop.documents.tests.files import (
    GPS_IFD,
    UnreadableUpload,
    jpeg_with_gps,
    pdf_bytes,
    pdf_with_javascript,
    png_bytes,
    png_declaring,
    upload,
)

MB = 1024 * 1024


def _stored(document, private_root):
    """The file of a document, wherever it is (published, or staged before commit)."""
    final = private_root / document.storage_name
    return final if final.exists() else private_root / "incoming" / final.name


@pytest.mark.clause("WX 4.1.4")
def test_a_png_is_kept_privately_under_a_random_name(make_user, regions, private_root):
    owner = make_user()

    document = document_store(
        owner=owner,
        kind=DocumentKind.ID_CARD,
        upload=upload(png_bytes(), name="张三 身份证.png"),
        region=regions["450202"],
    )

    path = _stored(document, private_root)
    content = path.read_bytes()
    assert document.content_type == MediaType.PNG
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.original_name == "张三 身份证.png"
    assert "张三" not in document.storage_name
    assert path.is_relative_to(private_root)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert Image.open(path).size == (4, 3)


def test_the_file_is_published_under_year_and_month_after_commit(
    make_user, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_store(
            owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes())
        )

    local = timezone.localtime(document.created_at)
    assert document.storage_name.startswith(f"{local:%Y}/{local:%m}/")
    assert (private_root / document.storage_name).is_file()
    assert list((private_root / "incoming").iterdir()) == []
    assert stat.S_IMODE((private_root / document.storage_name).parent.stat().st_mode) == 0o700


@pytest.mark.clause("WX 4.1.4")
def test_jpeg_metadata_and_gps_position_are_removed(make_user, private_root):
    original = jpeg_with_gps(orientation=6)  # "rotate 90°": stored pixels must be turned
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    document = document_store(
        owner=make_user(),
        kind=DocumentKind.ID_CARD,
        upload=upload(original, name="IMG_0001.JPG", content_type="image/jpeg"),
    )

    stored = _stored(document, private_root).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert document.content_type == MediaType.JPEG
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info
    assert "comment" not in image.info
    assert b"SpyCam" not in stored
    assert b"secret" not in stored
    assert image.size == (4, 6)  # orientation applied to the pixels
    assert document.original_name == "IMG_0001.jpg"


def test_png_text_chunks_are_removed(make_user, private_root):
    original = png_bytes(text={"Author": "张三", "GPS": "39.9,116.4"})

    document = document_store(owner=make_user(), kind=DocumentKind.ID_CARD, upload=upload(original))

    stored = _stored(document, private_root).read_bytes()
    assert Image.open(io.BytesIO(stored)).text == {}
    assert b"116.4" not in stored


def test_a_palette_png_with_transparency_is_kept_as_rgba(make_user, private_root):
    image = Image.new("P", (3, 3), 1)
    buf = io.BytesIO()
    image.save(buf, "PNG", transparency=0)

    document = document_store(
        owner=make_user(), kind=DocumentKind.OTHER, upload=upload(buf.getvalue())
    )

    assert Image.open(_stored(document, private_root)).mode == "RGBA"


def test_a_pdf_is_kept_byte_for_byte(make_user, private_root):
    original = pdf_bytes()

    document = document_store(
        owner=make_user(),
        kind=DocumentKind.BUSINESS_LICENCE,
        upload=upload(original, name="营业执照.pdf", content_type="application/octet-stream"),
    )

    assert document.content_type == MediaType.PDF
    assert _stored(document, private_root).read_bytes() == original
    assert document.original_name == "营业执照.pdf"


def test_the_type_comes_from_the_content_not_the_name(make_user):
    document = document_store(
        owner=make_user(),
        kind=DocumentKind.OTHER,
        upload=upload(png_bytes(), name="licence.pdf", content_type="application/pdf"),
    )

    assert document.content_type == MediaType.PNG
    assert document.original_name == "licence.png"


def test_the_upload_is_audited_without_content_or_name(make_user, regions):
    owner = make_user()

    document = document_store(
        owner=owner,
        kind=DocumentKind.ID_CARD,
        upload=upload(png_bytes(), name="张三身份证.png"),
        region=regions["450202"],
    )

    event = AuditEvent.objects.get(action="documents.upload")
    assert event.actor_id == owner.pk
    assert event.object_id == str(document.pk)
    assert event.region == regions["450202"]
    assert event.changes["sha256"] == document.sha256
    assert "张三" not in str(event.changes)


def _hostile_uploads():
    mz = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run"
    return [
        pytest.param(upload(mz, "x.pdf", "application/pdf"), 415, id="exe-named-pdf"),
        pytest.param(upload(b"hello", "a.png", "image/png"), 415, id="text-named-png"),
        pytest.param(upload(b"GIF89a" + b"\x00" * 20, "a.gif", "image/gif"), 415, id="gif"),
        pytest.param(upload(b"<svg onload=alert(1)>", "a.png"), 415, id="svg"),
        pytest.param(upload(b"", "a.pdf", "application/pdf"), 400, id="empty"),
        pytest.param(upload(pdf_with_javascript(), "a.pdf"), 400, id="pdf-javascript"),
        pytest.param(upload(pdf_bytes(b"/Names << /J#61vaScript 4 0 R >>")), 400, id="pdf-escaped"),
        pytest.param(
            upload(pdf_bytes(b"/OpenAction << /S /Launch /F (cmd.exe) >>")), 400, id="pdf-launch"
        ),
        pytest.param(
            upload(pdf_bytes(b"/Names << /EmbeddedFiles 4 0 R >>")), 400, id="pdf-embedded"
        ),
        pytest.param(upload(pdf_bytes(b"/AA << /O 4 0 R >>")), 400, id="pdf-additional-actions"),
        pytest.param(upload(pdf_bytes()[:-200], "a.pdf"), 400, id="pdf-truncated"),
        pytest.param(upload(png_bytes()[:30]), 400, id="png-truncated"),
        pytest.param(upload(b"\xff\xd8\xff\xe0" + b"\x00" * 50, "a.jpg"), 400, id="jpeg-garbage"),
        pytest.param(upload(png_declaring(100_000, 100_000)), 413, id="png-bomb"),
        pytest.param(upload(png_declaring(8_000, 8_000)), 413, id="png-too-many-pixels"),
    ]


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(("bad", "status"), _hostile_uploads())
def test_a_refused_upload_leaves_nothing_behind(bad, status, make_user, stored_files):
    owner = make_user()

    with pytest.raises(errors.UploadRejected) as caught:
        document_store(owner=owner, kind=DocumentKind.BUSINESS_LICENCE, upload=bad)

    assert caught.value.status == status
    assert caught.value.message
    assert not Document.objects.exists()
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="documents.upload").exists()


def test_an_exe_renamed_pdf_gets_the_type_message(make_user):
    with translation.override("zh-hans"):
        expected = _("Only PDF, JPEG and PNG files are accepted.")
        with pytest.raises(errors.UploadTypeNotAllowed) as caught:
            document_store(
                owner=make_user(),
                kind=DocumentKind.OTHER,
                upload=upload(b"MZ\x90\x00" * 10, "x.pdf", "application/pdf"),
            )

    assert caught.value.message == expected
    assert caught.value.code == "upload_type_not_allowed"


def test_the_pixel_limit_stays_below_pillows_own():
    assert MAX_IMAGE_PIXELS < Image.MAX_IMAGE_PIXELS


@pytest.mark.clause("WX 4.1.4")
def test_a_50_mb_upload_is_refused_without_being_read(make_user, stored_files):
    with pytest.raises(errors.UploadTooLarge) as caught:
        document_store(
            owner=make_user(),
            kind=DocumentKind.ID_CARD,
            upload=UnreadableUpload("big.png", size=50 * MB),
        )

    assert caught.value.status == 413
    assert "10" in caught.value.message
    assert stored_files() == []
    assert not Document.objects.exists()


def test_a_sparse_50_mb_temporary_upload_is_refused(make_user, stored_files):
    big = TemporaryUploadedFile("big.png", "image/png", 50 * MB, None)
    big.write(png_bytes())
    big.seek(50 * MB - 1)
    big.write(b"\0")  # sparse: 50 MB long, a few KB on disk
    big.seek(0)

    with pytest.raises(errors.UploadTooLarge):
        document_store(owner=make_user(), kind=DocumentKind.ID_CARD, upload=big)
    big.close()

    assert stored_files() == []


def test_an_under_reported_size_is_caught_while_streaming(make_user, stored_files):
    liar = TemporaryUploadedFile("small.pdf", "application/pdf", 100, None)
    liar.write(pdf_bytes())
    liar.seek(11 * MB)
    liar.write(b"\n%%EOF\n")
    liar.seek(0)
    liar.size = 100  # what a broken or hostile upload handler might claim

    with pytest.raises(errors.UploadTooLarge):
        document_store(owner=make_user(), kind=DocumentKind.OTHER, upload=liar)
    liar.close()

    assert stored_files() == []


def test_the_size_limit_comes_from_settings(make_user, settings):
    settings.ONESTOP_UPLOAD_MAX_BYTES = 20

    with pytest.raises(errors.UploadTooLarge) as caught:
        document_store(owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes()))

    assert caught.value.status == 413


def test_an_unknown_kind_is_a_programming_error(make_user):
    with pytest.raises(ValueError, match="passport"):
        document_store(owner=make_user(), kind="passport", upload=upload(png_bytes()))


@pytest.mark.clause("HM 6.3")
def test_reading_by_someone_else_is_audited_and_by_the_owner_not(make_user, regions):
    owner, staff = make_user(), make_user("center_staff", "450200")
    document = document_store(
        owner=owner, kind=DocumentKind.ID_CARD, upload=upload(png_bytes()), region=regions["450202"]
    )

    document_open(reader=owner, document=document).close()
    assert not AuditEvent.objects.filter(action="documents.download").exists()

    document_open(reader=staff, document=document).close()
    event = AuditEvent.objects.get(action="documents.download")
    assert event.actor_id == staff.pk
    assert event.object_id == str(document.pk)
    assert event.region == regions["450202"]


def test_a_missing_file_is_reported_not_crashed(make_user, private_root, stored_files):
    document = document_store(
        owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes())
    )
    for path in stored_files():
        path.unlink()

    with pytest.raises(errors.DocumentUnavailable) as caught:
        document_open(reader=document.owner, document=document)

    assert caught.value.status == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\李四\\营业执照.PDF", "营业执照.pdf"),
        ("invoice\u202egpj.exe", "invoicegpj.pdf"),  # right-to-left override removed
        ('a<b>:"c"|?*.pdf', "abc.pdf"),
        ("  多个   空格  .pdf", "多个 空格.pdf"),
        ("report.exe", "report.pdf"),
        ("...", ""),
        ("", ""),
        ("x" * 300 + ".pdf", "x" * 100 + ".pdf"),
    ],
)
def test_file_names_are_cleaned_for_display(name, expected):
    assert clean_name(name, MediaType.PDF) == expected
