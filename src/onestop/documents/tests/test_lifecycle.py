"""An upload's lifecycle: the daily quota, transactions that roll back, the sweep."""

import os
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from onestop.documents import errors
from onestop.documents.models import Document, DocumentKind
from onestop.documents.services import document_store, documents_sweep
from onestop.documents.tests.files import (
    png_bytes,
    upload,
)

MB = 1024 * 1024


@pytest.mark.clause("WX 4.1.4")
def test_the_daily_quota_counts_china_days(make_user, settings, stored_files):
    settings.ONESTOP_UPLOADS_PER_DAY = 2
    owner, other = make_user(), make_user()
    for _n in range(2):
        document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))
    files_before = stored_files()

    with pytest.raises(errors.UploadQuotaExceeded) as caught:
        document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))

    assert caught.value.status == 429
    assert Document.objects.filter(owner=owner).count() == 2
    assert stored_files() == files_before
    # Someone else's quota is their own.
    document_store(owner=other, kind=DocumentKind.OTHER, upload=upload(png_bytes()))
    # Uploads from before midnight in China do not count today.
    now = timezone.localtime(timezone.now())
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    Document.objects.filter(owner=owner).update(created_at=midnight - timedelta(minutes=1))
    document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))


def test_deleting_does_not_free_quota(make_user, settings):
    from onestop.documents.services import document_soft_delete

    settings.ONESTOP_UPLOADS_PER_DAY = 1
    owner = make_user()
    document = document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))
    document_soft_delete(actor=owner, document=document)

    with pytest.raises(errors.UploadQuotaExceeded):
        document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))


def test_a_rolled_back_transaction_publishes_no_file(make_user, private_root, stored_files):
    owner = make_user()

    with pytest.raises(RuntimeError), transaction.atomic():
        document = document_store(owner=owner, kind=DocumentKind.OTHER, upload=upload(png_bytes()))
        raise RuntimeError("the caller's next step failed")

    assert not Document.objects.exists()
    assert not (private_root / document.storage_name).exists()
    # The staged copy is unreachable (no row) and the sweep removes it.
    result = documents_sweep(older_than=timedelta(0))
    assert result.removed == 1
    assert stored_files() == []


def test_the_sweep_finishes_a_publish_that_did_not_happen(make_user, private_root):
    # Inside the test transaction on_commit never runs, like a crash after commit.
    document = document_store(
        owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes())
    )

    assert documents_sweep(older_than=timedelta(hours=1)).published == 0  # too young to touch
    result = documents_sweep(older_than=timedelta(0))

    assert result.published == 1
    assert (private_root / document.storage_name).is_file()
    assert not (private_root / "incoming" / os.path.basename(document.storage_name)).exists()


def test_a_failure_inside_the_service_removes_the_staged_file(make_user, stored_files, monkeypatch):
    import onestop.documents.services as services

    def broken_audit(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(services, "audit_record", broken_audit)

    with pytest.raises(RuntimeError):
        document_store(owner=make_user(), kind=DocumentKind.OTHER, upload=upload(png_bytes()))

    assert stored_files() == []
    assert not Document.objects.exists()
