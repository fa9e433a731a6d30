"""The archive as a PDF (WeasyPrint + Noto CJK), read back with pdfium;
every export is logged for the enterprise and audited."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from django.urls import reverse

from onestop.archive.models import AccessKind, ArchiveAccess
from onestop.audit.models import AuditEvent
from onestop.catalog import printing

from .conftest import records

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese_font_installed():
    assert printing.cjk_font_available(), "No Chinese font: install Debian's fonts-noto-cjk."


def pdf_text(pdf: bytes) -> str:
    document = pdfium.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.clause("HM 6.1")
@pytest.mark.clause("LZ 6.5.3")
def test_a_member_exports_the_archive_and_the_export_is_logged(client, world):
    mine = records(world, world.acme, world.owner, tag="澄星")
    theirs = records(world, world.neighbour, world.neighbour_owner, tag="邻家")
    client.force_login(world.member)
    response = client.get(reverse("archive:pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert world.acme.name in text
    assert world.member.display_name in text  # who exported
    assert mine.order in text
    assert mine.complaint in text
    assert theirs.order not in text
    export = ArchiveAccess.objects.get()
    assert (export.kind, export.by_member, export.user) == (AccessKind.EXPORT, True, world.member)
    assert AuditEvent.objects.filter(action="archive.export", actor_id=world.member.pk).exists()


@pytest.mark.clause("HM 6.3")
def test_staff_export_only_after_opening_for_export(client, world, otp_login):
    records(world, world.acme, world.owner, tag="澄星")
    otp_login(world.wx_center)
    detail = reverse("archive:manage_detail", kwargs={"enterprise_id": world.acme.pk})
    pdf_url = reverse("archive:manage_pdf", kwargs={"enterprise_id": world.acme.pk})
    # without an opening, or with one for another purpose: back to the purpose form
    response = client.get(pdf_url)
    assert response.status_code == 302
    assert response["Location"] == f"{detail}?purpose=export"
    opened = client.post(detail, {"purpose": "order", "detail": ""})
    opening = ArchiveAccess.objects.get()
    assert 'id="export-link"' not in client.get(opened["Location"]).content.decode()
    assert client.get(pdf_url, {"opening": opening.pk}).status_code == 302
    assert not ArchiveAccess.objects.filter(kind=AccessKind.EXPORT).exists()
    # opened for export: the page links the PDF, the PDF says who exported it
    opened = client.post(detail, {"purpose": "export", "detail": "年度监督抽查"})
    page = client.get(opened["Location"]).content.decode()
    assert 'id="export-link"' in page
    export_opening = ArchiveAccess.objects.filter(purpose="export").get()
    response = client.get(pdf_url, {"opening": export_opening.pk})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert world.acme.name in text
    assert "无锡中心陈静" in text
    assert "年度监督抽查" in text
    export = ArchiveAccess.objects.get(kind=AccessKind.EXPORT)
    assert (export.by_member, export.purpose, export.detail) == (False, "export", "年度监督抽查")
    assert AuditEvent.objects.filter(action="archive.export", actor_id=world.wx_center.pk).exists()
    # and the enterprise sees both the opening and the export in its log
    client.force_login(world.owner)
    log = client.get(reverse("archive:log")).content.decode()
    assert log.count('data-kind="export" data-member="0"') == 1
    assert log.count('data-kind="open" data-member="0"') == 2
