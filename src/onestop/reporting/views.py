"""Pages: the statistics dashboard and the publication form (workbench),
the published results and their CSV (public, no login)."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from onestop.accounts.authz import Perm
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.regions.models import Region
from onestop.reporting import selectors, services
from onestop.reporting.charts import charts_for
from onestop.reporting.forms import DashboardForm, PublishForm
from onestop.transfer.workbook import escape
from onestop.workbench.access import staff_view

PAGE_SIZE = 20


def _outside_scope_is_not_found(
    request: AuthenticatedRequest, regions: list[Region], perm: Perm
) -> None:
    """A region outside the user's scope is "not found", not a form error."""
    code = request.POST.get("region") or request.GET.get("region")
    if code and code not in {r.code for r in regions}:
        selectors.scoped_region(user=request.user, code=code, perm=perm)


@staff_view(Perm.STATISTICS_VIEW)
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """The figures of a period for a region of the user's subtree (WX 8.1.1, HM 5.3)."""
    regions = selectors.scoped_regions(user=request.user)
    _outside_scope_is_not_found(request, regions, Perm.STATISTICS_VIEW)
    # Missing parameters take the defaults, so "?region=…" alone is a valid link.
    form = DashboardForm(DashboardForm.initial_for(regions) | request.GET.dict(), regions=regions)
    board = period = None
    if form.is_valid() and "period" in form.cleaned_data:
        period = form.cleaned_data["period"]
        board = selectors.dashboard(
            user=request.user, region=form.chosen_region(), start=period.start, end=period.end
        )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "form": form,
            "board": board,
            "period": period,
            "tables_html": _tables_html(board) if board else "",
        },
        status=400 if form.errors else 200,
    )


def _tables_html(board: selectors.Dashboard) -> str:
    """The tables and charts of the board, rendered once per rollup: a city's
    year has thousands of rows, and they only change when the rollup runs."""
    seconds = settings.ONESTOP_STATISTICS_CACHE_SECONDS
    key = board.cache_key(translation.get_language() or settings.LANGUAGE_CODE)
    html = cache.get(key) if seconds > 0 else None
    if html is None:
        tables = board.tables
        html = render_to_string(
            "reporting/_tables.html",
            {"tables": tables, "charts": charts_for(tables), "sub_heading": True},
        )
        if seconds > 0:
            cache.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped there


@staff_view(Perm.STATISTICS_PUBLISH)
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest) -> HttpResponse:
    """Publish a finished month, quarter or year (WX 8.1.1, 8.1.2)."""
    regions = selectors.scoped_regions(user=request.user, perm=Perm.STATISTICS_PUBLISH)
    _outside_scope_is_not_found(request, regions, Perm.STATISTICS_PUBLISH)
    if request.method == "POST":
        form = PublishForm(request.POST, regions=regions)
    else:
        form = PublishForm(initial=PublishForm.initial_for(regions), regions=regions)
    if request.method == "POST" and form.is_valid() and "period" in form.cleaned_data:
        data = form.cleaned_data
        period = data["period"]
        snapshot = run_service(
            form,
            lambda: services.snapshot_publish(
                actor=request.user,
                region=form.chosen_region(),
                kind=period.kind,
                start=period.start,
                end=period.end,
                methods=data["methods"],
                remarks=data["remarks"],
            ),
            fields={"period": "kind"},
        )
        if snapshot is not None:
            messages.success(request, _("The results are published."))
            return redirect(snapshot.get_absolute_url())
    return render(
        request,
        "reporting/publish.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    """Published results, newest period first; by region (public)."""
    regions = selectors.published_regions()
    code = request.GET.get("region", "")
    region = next((r for r in regions if r.code == code), None)
    page = Paginator(selectors.published_latest(region=region), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reporting/published_list.html",
        {
            "page": page,
            "regions": regions,
            "region": region,
            "query": f"region={region.code}" if region else "",
        },
    )


@require_GET
def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.published_get(pk=pk)
    tables = page.snapshot.table_list()
    return render(
        request,
        "reporting/published_detail.html",
        {"page": page, "snapshot": page.snapshot, "tables": tables, "charts": charts_for(tables)},
    )


@require_GET
def published_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The tables as CSV: UTF-8 with a BOM (Excel), formulas neutralised."""
    snapshot = selectors.published_get(pk=pk).snapshot
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([escape(snapshot.title)])
    writer.writerow([f"{snapshot.start.isoformat()} – {snapshot.end.isoformat()}"])
    for table in snapshot.table_list():
        writer.writerow([])
        writer.writerow([escape(table.title)])
        writer.writerow([escape(str(column)) for column in table.columns])
        for row in table.rows:
            writer.writerow(["" if value is None else escape(value) for value in row])
        if table.note:
            writer.writerow([escape(table.note)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = (
        f"statistics-{snapshot.region.code}-{snapshot.start:%Y%m%d}-{snapshot.end:%Y%m%d}"
        f"-v{snapshot.version}.csv"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
