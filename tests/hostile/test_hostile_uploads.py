"""Hostile uploads (issue 7 item 7, WX 4.1.4): polyglots, compression and
decompression bombs, huge images, path-traversal names and lying content
types are refused with a message and leave no file and no row; what the
existing documents tests already prove (EXE, SVG, active PDFs, truncated
files, pixel bombs) is not repeated here."""

from __future__ import annotations

import gzip
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from onestop.audit.models import AuditEvent
from onestop.documents import errors
from onestop.documents.inspection import UploadMarkup
from onestop.documents.models import Document, DocumentKind, MediaType
from onestop.documents.services import document_store
from onestop.documents.tests.files import pdf_bytes, png_bytes, png_declaring, upload

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_with_script_in_exif() -> bytes:
    image = Image.new("RGB", (8, 8), (20, 20, 20))
    exif = Image.Exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def jpeg_with_script_in_comment() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG", comment=b"<svg/onload=alert(1)>")
    return buf.getvalue()


def zip_bomb() -> bytes:
    """100 MB of zeros in a ~100 kB zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (100 * 1024 * 1024))
    return buf.getvalue()


def gzip_bomb() -> bytes:
    return gzip.compress(b"\x00" * (50 * 1024 * 1024))


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real JPEG whose SOF0 header then claims ``width`` × ``height``."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "JPEG")
    data = bytearray(buf.getvalue())
    sof = data.find(b"\xff\xc0")
    data[sof + 5 : sof + 9] = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return bytes(data)


_ZIP = zip_bomb()


def _refused():
    return [
        # Polyglots: valid magic bytes, a web page or script inside.
        pytest.param(pdf_bytes() + HTML, "application/pdf", 400, id="pdf-that-is-also-html"),
        pytest.param(
            b"%PDF-1.4\n" + HTML + b"\n%%EOF\n", "application/pdf", 400, id="html-behind-pdf-magic"
        ),
        pytest.param(
            pdf_bytes(b"/URI (javascript:alert\\(1\\))"), "application/pdf", 400, id="pdf-js-uri"
        ),
        pytest.param(png_bytes() + HTML, "image/png", 400, id="png-with-appended-html"),
        pytest.param(
            png_bytes(text={"Comment": "<iframe src=//evil>"}),
            "image/png",
            400,
            id="png-text-iframe",
        ),
        pytest.param(jpeg_with_script_in_exif(), "image/jpeg", 400, id="jpeg-exif-script"),
        pytest.param(jpeg_with_script_in_comment(), "image/jpeg", 400, id="jpeg-comment-svg"),
        pytest.param(b"GIF89a/*" + HTML, "image/gif", 415, id="gif-js-polyglot"),
        # Compression bombs: a zip or gzip named and declared as a document.
        pytest.param(_ZIP, "application/pdf", 415, id="zip-bomb-as-pdf"),
        pytest.param(_ZIP, "image/png", 415, id="zip-bomb-as-png"),
        pytest.param(gzip_bomb(), "application/pdf", 415, id="gzip-bomb-as-pdf"),
        # Decompression bombs and huge images.
        pytest.param(png_declaring(65_535, 65_535), "image/png", 413, id="png-65535-square"),
        pytest.param(jpeg_declaring(60_000, 60_000), "image/jpeg", 413, id="jpeg-bomb"),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + b"\x00" * (11 * 1024 * 1024), "image/png", 413, id="png-11mb"
        ),
        # Wrong content types: what the bytes are decides.
        pytest.param(b"MZ\x90\x00" + b"\x00" * 64, "image/png", 415, id="exe-declared-png"),
        pytest.param(
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/png",
            415,
            id="svg-declared-png",
        ),
        pytest.param(b"#!/bin/sh\nrm -rf /\n", "application/pdf", 415, id="script-declared-pdf"),
        pytest.param(HTML, "text/html", 415, id="html"),
    ]


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(("content", "declared", "status"), _refused())
def test_hostile_uploads_are_refused_and_nothing_is_stored(
    content, declared, status, make_user, stored_files
):
    owner = make_user()

    with pytest.raises(errors.UploadRejected) as caught:
        document_store(
            owner=owner,
            kind=DocumentKind.OTHER,
            upload=SimpleUploadedFile("scan.pdf", content, content_type=declared),
        )

    assert caught.value.status == status
    with translation.override("en"):
        assert str(caught.value.message).strip()
    assert not Document.objects.exists()
    assert stored_files() == []
    assert not AuditEvent.objects.filter(action="documents.upload").exists()


def test_markup_is_found_across_a_chunk_boundary(make_user):
    padding = b"\x00" * (64 * 1024 - 4)  # "<scr" ends one 64 kB chunk, "ipt>" starts the next
    content = pdf_bytes() + b"%" + padding + b"<script>" + b"\n%%EOF\n"

    with pytest.raises(UploadMarkup):
        document_store(owner=make_user(), kind=DocumentKind.OTHER, upload=upload(content))


def test_the_markup_message_is_english_in_the_source():
    with translation.override("en"):
        assert "HTML or script" in str(UploadMarkup().message)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "..\\..\\windows\\system32\\config\\sam.png",
        "/etc/cron.d/evil.png",
        "C:\\Windows\\evil.png",
        "scan\x00.php.png",
        "a" * 5000 + ".png",
        "‮gnp.exe",  # right-to-left override disguising an extension
        "<img src=x onerror=alert(1)>.png",
    ],
)
@pytest.mark.clause("WX 4.1.4")
def test_a_hostile_file_name_never_reaches_the_file_system(
    name, make_user, private_root, stored_files
):
    document = document_store(
        owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes(), name=name)
    )

    files = stored_files()
    assert len(files) == 1
    assert files[0].resolve().is_relative_to(private_root.resolve())
    assert ".." not in document.storage_name
    assert not document.storage_name.startswith("/")
    # The display name keeps no path, no control character and no markup brackets.
    shown = document.original_name
    assert "/" not in shown
    assert "\\" not in shown
    assert "\x00" not in shown
    assert "‮" not in shown
    assert "<" not in shown
    assert len(shown) <= 110
    assert shown == "" or shown.endswith(".png")


def test_a_pdf_declared_as_png_is_kept_as_a_pdf(make_user):
    document = document_store(
        owner=make_user(),
        kind=DocumentKind.OTHER,
        upload=upload(pdf_bytes(), name="photo.png", content_type="image/png"),
    )

    assert document.content_type == MediaType.PDF
    assert document.original_name == "photo.pdf"


def test_hostile_uploads_through_a_page_get_a_message_and_store_nothing(client, order, customer):
    client.force_login(customer)
    url = f"/orders/{order.number}/attachments/"
    answers = []
    for content in (png_bytes() + HTML, _ZIP, png_declaring(65_535, 65_535)):
        upload_file = SimpleUploadedFile("../../x.png", content, content_type="image/png")
        answers.append(client.post(url, {"kind": "other", "file": upload_file}))

    with translation.override("zh-hans"):  # the page's language, whatever is translated yet
        expected = [
            escape(UploadMarkup().message),
            escape(errors.UploadTypeNotAllowed().message),
            escape(errors.UploadImageTooLarge(limit_mp=40).message),
        ]
    assert [a.status_code for a in answers] == [400, 415, 413]
    for answer, message in zip(answers, expected, strict=True):
        assert message in answer.content.decode()
    assert not order.attachments.exists()
    assert not Document.objects.exists()
