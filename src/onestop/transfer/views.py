"""Workbench pages for importing and exporting the directories (LZ 4.1)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from onestop.accounts import authz
from onestop.core.errors import NotFound
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.transfer import selectors, services
from onestop.transfer.forms import UploadForm
from onestop.transfer.models import ImportJob, ImportKind
from onestop.workbench.access import staff_view

REPORT_PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERM = authz.Perm.DIRECTORY_IMPORT


def _kind(kind: str) -> ImportKind:
    if kind not in ImportKind.values:
        raise NotFound()
    return ImportKind(kind)


def _index(
    request: AuthenticatedRequest, forms: dict[str, UploadForm], status: int
) -> HttpResponse:
    lists = [
        {"kind": kind, "form": forms.get(kind) or UploadForm(prefix=kind)} for kind in ImportKind
    ]
    return render(
        request,
        "transfer/index.html",
        {"lists": lists, "jobs": selectors.import_jobs_recent(user=request.user)},
        status=status,
    )


@require_GET
@staff_view(PERM)
def index(request: AuthenticatedRequest) -> HttpResponse:
    return _index(request, {}, 200)


@require_POST
@staff_view(PERM)
def upload(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    chosen = _kind(kind)
    form = UploadForm(request.POST, request.FILES, prefix=chosen)
    if form.is_valid():
        job = run_service(
            form,
            lambda: services.import_job_create(
                actor=request.user, kind=chosen, upload=form.cleaned_data["file"]
            ),
        )
        if job is not None:
            return HttpResponseRedirect(reverse("transfer:job", args=[job.pk]))
    return _index(request, {chosen: form}, 400)


@require_GET
@never_cache
@staff_view(PERM)
def job(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    found = selectors.import_job_get(user=request.user, job_id=job_id)
    page = Paginator(found.error_report, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Refreshing stops while the job runs, or on request (WCAG 2.2.1).
    auto_refresh = request.GET.get("refresh") != "off"
    return render(
        request, "transfer/job.html", {"job": found, "page": page, "auto_refresh": auto_refresh}
    )


def _status(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "running": job.running,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "imported_rows": job.imported_rows,
        "error_count": job.error_count,
        "error": job.error,
    }


@require_GET
@never_cache
@staff_view(PERM)
def job_status(request: AuthenticatedRequest, job_id: int) -> JsonResponse:
    found = selectors.import_job_get(user=request.user, job_id=job_id)
    return JsonResponse(_status(found))


def _xlsx(write: Callable[[IO[bytes]], Any], filename: str) -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
    try:
        write(out)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    response = FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX)
    response["Cache-Control"] = "no-store"
    return response


def _stamp() -> str:
    return timezone.localdate().strftime("%Y%m%d")


@require_GET
@staff_view(PERM)
def export(request: AuthenticatedRequest, kind: str) -> FileResponse:
    chosen = _kind(kind)
    return _xlsx(
        lambda out: services.export_write(actor=request.user, kind=chosen, out=out),
        f"{chosen.label}-{_stamp()}.xlsx",
    )


@require_GET
@staff_view(PERM)
def template(request: AuthenticatedRequest, kind: str) -> FileResponse:
    chosen = _kind(kind)
    return _xlsx(
        lambda out: services.template_write(kind=chosen, out=out),
        "{}-{}.xlsx".format(chosen.label, _("template")),
    )


@require_GET
@staff_view(PERM)
def report(request: AuthenticatedRequest, job_id: int) -> FileResponse:
    found = selectors.import_job_get(user=request.user, job_id=job_id)
    if not (found.error_report or found.error):
        raise NotFound()
    return _xlsx(
        lambda out: services.report_write(job=found, out=out),
        "{}-{}.xlsx".format(_("import problems"), found.pk),
    )
