"""Storing and opening private documents (SPEC §3.1, §3.8, §5; HM 6.3, WX 4.1.4).

Files and transactions — what happens to the file when things go wrong:

1. Every content check (size, type, PDF scan, image re-encoding) and the
   quota run before anything is written, so a refused upload leaves no file
   and no row.
2. The checked bytes are written to ``incoming/<token>`` under
   PRIVATE_MEDIA_ROOT and the row is inserted, in one atomic block; if that
   block fails, the staged file is deleted on the spot.
3. The file is moved to its final name by ``transaction.on_commit``: a file
   is published only when the row that points to it was committed.
4. If the caller's own transaction rolls back after we returned (a form that
   stores three documents and fails on the third), Django offers no rollback
   hook, so the staged file stays in ``incoming/``, where no row and no URL
   reaches it, until ``documents_sweep`` removes it (run it hourly: ``onestop
   documents_sweep``). The same sweep finishes a publish interrupted by a
   crash right after commit. Reading falls back to the staged file, so code
   running inside the creating transaction — and tests — can read it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.ratelimit import rate_hit
from onestop.documents import storage as doc_storage
from onestop.documents.errors import DocumentUnavailable, UploadQuotaExceeded
from onestop.documents.inspection import clean_name, inspect_upload
from onestop.documents.models import Document, DocumentKind
from onestop.regions.models import Region

logger = logging.getLogger(__name__)

DEFAULT_UPLOADS_PER_DAY = 50
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_max_bytes() -> int:
    return int(getattr(settings, "ONESTOP_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def uploads_per_day() -> int:
    return int(getattr(settings, "ONESTOP_UPLOADS_PER_DAY", DEFAULT_UPLOADS_PER_DAY))


def document_store(
    *,
    owner: User,
    kind: str,
    upload: UploadedFile[bytes],
    region: Region | None = None,
    actor: User | None = None,
) -> Document:
    """Check an upload by its content and keep it privately for ``owner``.

    The rule (SPEC §5, WX 4.1.4): the type is decided by the bytes (PDF, JPEG,
    PNG only), at most ONESTOP_UPLOAD_MAX_BYTES, images re-encoded without
    metadata, PDFs with active content refused, the file name never used for
    storage, at most ONESTOP_UPLOADS_PER_DAY stored uploads per owner per
    China day. ``region`` decides which staff may read it (HM 6.3);
    ``actor`` is who uploaded, when not the owner (proxy handling).

    Raises an ``errors.UploadRejected`` subclass (400/413/415),
    ``errors.UploadQuotaExceeded`` (429) or, after too many attempts in a
    short time, ``core.ratelimit.RateLimited`` (429); see the module docstring for what
    happens to the file when a transaction fails.
    """
    kind = DocumentKind(kind)
    now = timezone.now()
    # A short-window limit on attempts, refused ones included (issue 7 item 7).
    rate_hit("upload", f"user:{(actor or owner).pk}")
    # Cheap early refusal before decoding anything; repeated under the lock below.
    _check_quota(owner, now)
    inspected = inspect_upload(upload, max_bytes=upload_max_bytes())
    storage = doc_storage.private_storage()
    storage_name = doc_storage.new_storage_name(inspected.media_type.extension, now=now)
    staged = doc_storage.staged_name(storage_name)
    saved: str | None = None
    try:
        with transaction.atomic():
            _lock_owner(owner)
            _check_quota(owner, now)
            saved = storage.save(staged, File(inspected.content, name=staged))
            if saved != staged:  # a 128-bit random name never collides; refuse if it did
                raise RuntimeError(f"staged name {staged} already taken")
            document = Document.objects.create(
                owner=owner,
                kind=kind,
                region=region,
                content_type=inspected.media_type,
                size=inspected.size,
                sha256=inspected.sha256,
                storage_name=storage_name,
                original_name=clean_name(upload.name, inspected.media_type),
                created_at=now,
            )
            audit_record(
                action="documents.upload",
                actor=actor or owner,
                obj=document,
                region=region,
                # What was stored, never its content or its (personal) name.
                changes={
                    "kind": kind.value,
                    "content_type": inspected.media_type.value,
                    "size": inspected.size,
                    "sha256": inspected.sha256,
                },
            )
            transaction.on_commit(partial(_publish, storage, storage_name), robust=True)
    except BaseException:
        if saved is not None:
            storage.delete(saved)
        raise
    finally:
        inspected.content.close()
    return document


def document_open(*, reader: User, document: Document) -> File[bytes]:
    """Open the file of a document ``reader`` may see (``selectors.document_get_for``).

    Every read by someone other than the owner is written to the audit trail
    (SPEC §3.8, HM 6.3), after the file was found so the trail records only
    reads that happened. The caller closes the file (FileResponse does).
    """
    handle = _open(document)
    if reader.pk != document.owner_id:
        try:
            audit_record(
                action="documents.download",
                actor=reader,
                obj=document,
                region=document.region,
                changes={"kind": document.kind},
            )
        except BaseException:
            handle.close()
            raise
    return handle


@transaction.atomic
def document_soft_delete(*, actor: User, document: Document) -> Document:
    """Hide a document from everyone; the file is kept for the record.

    The caller decides who may delete (usually the owner replacing a file).
    """
    if document.deleted_at is None:
        document.deleted_at = timezone.now()
        document.save(update_fields=["deleted_at"])
        audit_record(action="documents.delete", actor=actor, obj=document)
    return document


@dataclass(frozen=True)
class SweepResult:
    published: int
    removed: int


def documents_sweep(
    *, older_than: timedelta = timedelta(hours=1), now: datetime | None = None
) -> SweepResult:
    """Tidy ``incoming/``: publish files whose row committed, delete the rest.

    A staged file older than ``older_than`` belongs to a transaction that
    has finished: with a row, the publish after commit did not happen (crash),
    so it is done now; without one, the transaction rolled back.
    """
    storage = doc_storage.private_storage()
    cutoff = (now or timezone.now()) - older_than
    try:
        _dirs, files = storage.listdir(doc_storage.INCOMING)
    except FileNotFoundError:
        return SweepResult(0, 0)
    published = removed = 0
    for filename in files:
        staged = f"{doc_storage.INCOMING}/{filename}"
        if storage.get_modified_time(staged) > cutoff:
            continue
        storage_name = (
            Document.objects.filter(storage_name__endswith=f"/{filename}")
            .values_list("storage_name", flat=True)
            .first()
        )
        if storage_name is None:
            storage.delete(staged)
            removed += 1
        else:
            doc_storage.publish(storage, storage_name)
            published += 1
    return SweepResult(published, removed)


def _publish(storage: FileSystemStorage, storage_name: str) -> None:
    try:
        doc_storage.publish(storage, storage_name)
    except OSError:
        # The row is committed and the staged copy still serves reads;
        # documents_sweep will try again.
        logger.exception("could not publish document file %s", storage_name)


def _open(document: Document) -> File[bytes]:
    storage = doc_storage.private_storage()
    staged = doc_storage.staged_name(document.storage_name)
    # Final name first; the staged copy before the publish after commit; the
    # final name again in case the publish happened between the two tries.
    for name in (document.storage_name, staged, document.storage_name):
        try:
            return storage.open(name, "rb")
        except FileNotFoundError:
            continue
    logger.error("document %s has no file %s", document.public_id, document.storage_name)
    raise DocumentUnavailable()


def _lock_owner(owner: User) -> None:
    # Serialises one owner's concurrent uploads so the quota holds exactly
    # (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers).
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk=owner.pk)
        .values_list("pk", flat=True)
    )


def _check_quota(owner: User, now: datetime) -> None:
    limit = uploads_per_day()
    today = now.astimezone(doc_storage.SHANGHAI).date()
    midnight = datetime.combine(today, time.min, tzinfo=doc_storage.SHANGHAI)
    # Deleted documents count too: deleting does not buy more uploads.
    if Document.objects.filter(owner=owner, created_at__gte=midnight).count() >= limit:
        raise UploadQuotaExceeded(limit=limit)
