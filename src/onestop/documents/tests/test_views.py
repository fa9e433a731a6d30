import uuid
from urllib.parse import quote

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext as _

from onestop.audit.models import AuditEvent
from onestop.documents.forms import DocumentFileField
from onestop.documents.models import DocumentKind
from onestop.documents.services import document_store
from onestop.documents.tests.files import pdf_bytes, png_bytes, upload


@pytest.fixture
def licence(make_user, regions):
    return document_store(
        owner=make_user(kind="enterprise"),
        kind=DocumentKind.BUSINESS_LICENCE,
        upload=upload(pdf_bytes(), name="营业执照 2024.pdf", content_type="application/pdf"),
        region=regions["450202"],
    )


def _body(response):
    return b"".join(response.streaming_content)


def _warm_up(client):
    """A first request, so the session's once-a-minute activity stamp is not in the count."""
    client.get("/documents/templates/integrity-pledge/")


@pytest.mark.clause("HM 6.3")
def test_the_owner_downloads_their_document(client, licence, django_assert_num_queries):
    client.force_login(licence.owner)
    _warm_up(client)

    # session, user, document with its region
    with django_assert_num_queries(3):
        response = client.get(f"/documents/{licence.public_id}/")

    assert response.status_code == 200
    assert _body(response) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(pdf_bytes()))
    assert not AuditEvent.objects.filter(action="documents.download").exists()


@pytest.mark.clause("WX 4.1.4")
def test_download_headers_stop_sniffing_caching_and_inline_rendering(client, licence):
    client.force_login(licence.owner)

    response = client.get(f"/documents/{licence.public_id}/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        'attachment; filename="business_licence.pdf"; '
        f"filename*=UTF-8''{quote('营业执照 2024.pdf', safe='')}"
    )
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_ascii_name_is_sent_as_is(client, make_user):
    owner = make_user()
    document = document_store(
        owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes(), name="scan (1).png")
    )
    client.force_login(owner)

    response = client.get(document.get_absolute_url())

    assert response["Content-Disposition"] == 'attachment; filename="scan (1).png"'
    assert response["Content-Type"] == "image/png"


@pytest.mark.clause("HM 6.3")
def test_another_user_guessing_the_url_gets_404(client, licence, make_user):
    client.force_login(make_user())

    guessed = client.get(f"/documents/{licence.public_id}/")
    invented = client.get(f"/documents/{uuid.uuid4()}/")

    assert guessed.status_code == invented.status_code == 404
    assert "营业执照".encode() not in guessed.content
    assert not AuditEvent.objects.filter(action="documents.download").exists()


def test_sequential_ids_do_not_work_as_urls(client, licence):
    client.force_login(licence.owner)

    assert client.get(f"/documents/{licence.pk}/").status_code == 404


@pytest.mark.clause("HM 6.3")
def test_staff_in_the_region_download_and_are_audited(
    client, licence, make_user, regions, otp_login, django_assert_num_queries
):
    staff = make_user("center_staff", "450200")
    otp_login(staff)
    _warm_up(client)

    # session, user, OTP device, document, role assignments, then the audit
    # append: savepoint, head lock, event insert, head update, release
    with django_assert_num_queries(10):
        response = client.get(f"/documents/{licence.public_id}/")

    assert response.status_code == 200
    assert _body(response) == pdf_bytes()
    event = AuditEvent.objects.get(action="documents.download")
    assert event.actor_id == staff.pk
    assert event.object_type == "documents.document"
    assert event.object_id == str(licence.pk)
    assert event.region == regions["450202"]


@pytest.mark.clause("HM 6.3")
def test_staff_of_another_region_get_404(client, licence, make_user):
    client.force_login(make_user("center_staff", "320200"))

    response = client.get(f"/documents/{licence.public_id}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="documents.download").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, licence):
    response = client.get(f"/documents/{licence.public_id}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_only_get_is_allowed(client, licence):
    client.force_login(licence.owner)

    assert client.post(f"/documents/{licence.public_id}/").status_code == 405


@pytest.mark.clause("WX 7.1.1.4")
def test_the_integrity_pledge_template_is_public_and_printable(client, db):
    response = client.get("/documents/templates/integrity-pledge/")

    body = response.content.decode()
    assert response.status_code == 200
    with translation.override("zh-hans"):
        for text in (
            "Integrity pledge",
            "Enterprise name (seal)",
            "Unified social credit code",
            "Legal representative (signature)",
        ):
            assert str(_(text)) in body
    assert "@page { size: A4" in body


def test_the_document_file_field_states_the_limits_and_refuses_oversize(settings):
    settings.ONESTOP_UPLOAD_MAX_BYTES = 10

    class LicenceForm(forms.Form):
        licence = DocumentFileField()

    form = LicenceForm(
        files={"licence": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 20)}, data={}
    )
    html = str(form["licence"])

    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html
    assert "PDF" in str(form.fields["licence"].help_text)
    assert not form.is_valid()
    assert form.errors["licence"][0]
    ok = LicenceForm(files={"licence": SimpleUploadedFile("a.pdf", b"%PDF-1")}, data={})
    assert ok.is_valid()
