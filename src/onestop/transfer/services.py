"""Import and export of the four directories (LZ 4.1).

An import is all or nothing: every row is checked first (progress is
committed every CHUNK rows so the job page can show it); if any row has a
problem nothing is written and the uploader gets the row report. Only a
file without problems is written, in one transaction, which also records
the audit event and queues the search index refresh; a problem found while
writing (a rule only the station service knows, a race on a credit code)
rolls the whole transaction back and is reported like the others.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
from functools import partial
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import NotFound
from onestop.documents.storage import private_storage
from onestop.search.index import refresh_later
from onestop.transfer import selectors, workbook
from onestop.transfer.kinds import IMPORTERS, Importer
from onestop.transfer.kinds.base import Report, Row
from onestop.transfer.models import ImportJob, ImportKind, JobStatus

logger = logging.getLogger(__name__)

CHUNK = 200
STALE_AFTER = dt.timedelta(hours=2)


class _RowsFailed(Exception):
    """Raised inside the import transaction to roll it back."""


class _Superseded(Exception):
    """Another run of the same job took it over (see ``_claim``)."""


def importer_class(kind: str) -> type[Importer]:
    if kind not in IMPORTERS:
        raise NotFound()
    return IMPORTERS[kind]


def _scope_info(user: User) -> dict[str, Any]:
    scope = authz.region_scope(user, authz.Perm.DIRECTORY_IMPORT)
    return {"everywhere": scope.everywhere, "paths": list(scope.paths)}


@transaction.atomic
def import_job_create(*, actor: User, kind: str, upload: UploadedFile[bytes]) -> ImportJob:
    """Keep the uploaded workbook privately and queue its import.

    Size and format are checked here, before anything is stored; the rows
    are checked by the job (``import_job_run``), after this commits.
    """
    authz.require(actor, authz.Perm.DIRECTORY_IMPORT)
    importer_class(kind)
    size = int(upload.size or 0)
    workbook.check_upload(upload, size)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=_display_name(upload.name),
        size=size,
        scope=_scope_info(actor),
    )
    storage = private_storage()
    # Never the uploader's file name: it may carry personal data or path tricks.
    job.file = storage.save(f"transfer/{secrets.token_hex(16)}.xlsx", upload)
    try:
        job.save()
    except BaseException:
        storage.delete(job.file)
        raise
    from onestop.transfer.tasks import run_import

    transaction.on_commit(partial(run_import.delay, job.pk))
    return job


def _display_name(name: str | None) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200]


def import_job_run(*, job_id: int) -> ImportJob:
    """Check and import one queued job. Safe to deliver twice: a job being run
    is left alone, a finished one too; one abandoned for STALE_AFTER (a worker
    that died) starts again, which is safe because nothing is written until the
    transaction that also marks it done."""
    if not _claim(job_id):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(settings.LANGUAGE_CODE), contextlib.suppress(_Superseded):
        _run_and_report(job)
        # Only the run that finished the job removes the upload.
        if job.file:
            with contextlib.suppress(OSError):
                private_storage().delete(job.file)
            _update(job, file="")
    return job


def _run_and_report(job: ImportJob) -> None:
    """Run the job; any failure ends it as FAILED with a message for the uploader."""
    try:
        _run(job)
    except _Superseded:
        raise
    except workbook.FileRejected as exc:
        _finish(job, JobStatus.FAILED, error=exc.message)
    except IntegrityError:
        logger.exception("import job %s hit a database constraint", job.pk)
        _finish(
            job,
            JobStatus.FAILED,
            error=gettext(
                "The data changed while the file was being imported; nothing was "
                "imported. Please upload the file again."
            ),
        )
    except Exception:
        # A bug, not a bad file: say so rather than leave the page spinning.
        logger.exception("import job %s failed", job.pk)
        _finish(
            job,
            JobStatus.FAILED,
            error=gettext(
                "The import stopped because of an internal error; nothing was imported. "
                "Please try again or contact the system administrator."
            ),
        )


def _claim(job_id: int) -> bool:
    """Mark the job as being checked, unless another run holds it."""
    now = timezone.now()
    queued = Q(status=JobStatus.QUEUED)
    abandoned = Q(status__in=[JobStatus.VALIDATING, JobStatus.IMPORTING]) & (
        Q(started_at__lt=now - STALE_AFTER) | Q(started_at__isnull=True)
    )
    claimed = ImportJob.objects.filter(queued | abandoned, pk=job_id).update(
        status=JobStatus.VALIDATING, started_at=now, processed_rows=0
    )
    return claimed == 1


def _update(job: ImportJob, **fields: Any) -> None:
    """Save progress at once, outside any transaction, so the job page sees it.

    The claim time is the run's token: a run that lost the job to another
    stops here instead of writing over it.
    """
    for name, value in fields.items():
        setattr(job, name, value)
    if not ImportJob.objects.filter(pk=job.pk, started_at=job.started_at).update(**fields):
        raise _Superseded()


def _finish(job: ImportJob, status: str, **fields: Any) -> None:
    _update(job, status=status, finished_at=timezone.now(), **fields)


def _run(job: ImportJob) -> None:
    actor = job.created_by
    if not authz.has_perm(actor, authz.Perm.DIRECTORY_IMPORT):
        raise workbook.FileRejected(_("The uploader may no longer import lists."))
    importer = importer_class(job.kind)(actor=actor)
    report = Report()
    items: list[Any] = []
    if not job.file:
        raise workbook.FileRejected(_("The uploaded file is no longer available; upload it again."))
    opened = private_storage().open(job.file, "rb")
    with opened as handle, workbook.open_sheet(handle) as sheet:
        positions = _positions(importer, workbook.header(sheet))
        total = workbook.count_rows(sheet)
        if total == 0:
            raise workbook.FileRejected(_("The file has a header row but no data rows."))
        _update(job, total_rows=total)
        chunk: list[Row] = []
        done = 0
        for number, values in workbook.data_rows(sheet):
            cells = {name: values[i] if i < len(values) else None for name, i in positions.items()}
            chunk.append(Row(number, cells, report))
            if len(chunk) == CHUNK:
                items.extend(importer.check(chunk))
                done += len(chunk)
                chunk = []
                _update(job, processed_rows=done)
        if chunk:
            items.extend(importer.check(chunk))
            done += len(chunk)
        _update(job, processed_rows=done)
    if report.count:
        _fail_rows(job, importer, report)
        return
    _update(job, status=JobStatus.IMPORTING)
    try:
        _write(job, importer, items, report)
    except _RowsFailed:
        _fail_rows(job, importer, report)


def _positions(importer: Importer, found: list[str]) -> dict[str, int]:
    """Column name → index; the columns may come in any order but must all be there."""
    expected = list(importer.columns)
    if sorted(found) != sorted(expected) or len(set(found)) != len(found):
        raise workbook.FileRejected(
            _(
                "The columns of the first row do not match this list. Expected columns: "
                "%(expected)s. Found: %(found)s. Download the template and copy the rows into it."
            ),
            expected="、".join(expected),
            found="、".join((name or str(_("(empty)")))[:30] for name in found[:50])
            or str(_("(none)")),
        )
    return {name: found.index(name) for name in expected}


def _fail_rows(job: ImportJob, importer: Importer, report: Report) -> None:
    _finish(
        job,
        JobStatus.FAILED,
        error_report=report.as_json(importer.columns),
        error_count=report.count,
    )


def _write(job: ImportJob, importer: Importer, items: list[Any], report: Report) -> None:
    with transaction.atomic():
        # A run that took the job over meanwhile (see _claim) makes this one stop;
        # on PostgreSQL a second writer waits here for the first to commit.
        locked = ImportJob.objects.select_for_update(no_key=True).get(pk=job.pk)
        if locked.status != JobStatus.IMPORTING or locked.started_at != job.started_at:
            raise _Superseded()
        ids = importer.write(items, report)
        if report.count:
            raise _RowsFailed()
        audit_record(
            actor=job.created_by,
            action="transfer.import",
            obj=job,
            changes={"kind": job.kind, "rows": len(ids), "ids": ids},
        )
        refresh_later(importer.kind, ids)
        job.status = JobStatus.DONE
        job.imported_rows = len(ids)
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "imported_rows", "finished_at"])


# --- export ---------------------------------------------------------------------


def export_write(*, actor: User, kind: str, out: IO[bytes]) -> int:
    """Write one list, as far as the actor's regions go, in the import format.

    Expert contact details are written only for holders of Perm.EXPERT_MANAGE
    (HM 4.1.2.1); for others those columns stay empty.
    """
    authz.require(actor, authz.Perm.DIRECTORY_IMPORT)
    importer = importer_class(kind)
    private = bool(importer.private_columns) and authz.has_perm(actor, authz.Perm.EXPERT_MANAGE)
    objects = selectors.export_objects(user=actor, kind=kind)
    rows = workbook.write(
        out,
        title=str(ImportKind(kind).label),
        columns=importer.columns,
        rows=importer.export_rows(objects, private=private),
    )
    changes: dict[str, Any] = {"kind": kind, "rows": rows}
    if importer.private_columns:
        changes["contacts"] = private
    audit_record(actor=actor, action="transfer.export", changes=changes)
    return rows


def template_write(*, kind: str, out: IO[bytes]) -> None:
    """An empty list to fill in: the header row and one example row."""
    importer = importer_class(kind)
    workbook.write(
        out,
        title=str(ImportKind(kind).label),
        columns=importer.columns,
        rows=[importer.example_row()],
    )


def report_write(*, job: ImportJob, out: IO[bytes]) -> None:
    """The row report of a failed job, to correct the file against."""
    rows: list[list[Any]] = [[p["row"], p["column"], p["message"]] for p in job.error_report]
    if job.error:
        rows.insert(0, ["", "", job.error])
    workbook.write(
        out,
        title=gettext("Problems"),
        columns=[gettext("Row"), gettext("Column"), gettext("Problem")],
        rows=rows,
    )
