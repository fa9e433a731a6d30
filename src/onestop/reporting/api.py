"""Statistics API under /api/v1/statistics/ (public, no login): the
published results of the service evaluations (WX 8.1.1), the same
selectors as the public pages."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema

from onestop.regions.selectors import region_get
from onestop.reporting import selectors
from onestop.reporting.models import Snapshot

router = Router(tags=["statistics"])

PAGE_SIZE = 20

CellOut = int | float | str | None


class ErrorOut(Schema):
    code: str
    detail: str


class PublishedFilter(Schema):
    region: str = ""  # a region code; its whole subtree matches
    page: int = 1


class PublishedSummaryOut(Schema):
    id: int
    title: str
    region_code: str
    region_name: str
    period_kind: str
    start: dt.date
    end: dt.date
    version: int
    published_at: dt.datetime
    url: str
    csv_url: str


class PublishedPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PublishedSummaryOut]


class TableOut(Schema):
    key: str
    title: str
    columns: list[str]
    rows: list[list[CellOut]]
    note: str


class PublishedOut(PublishedSummaryOut):
    methods: list[str]
    remarks: str
    replaces_id: int | None
    replaced_by_id: int | None
    tables: list[TableOut]


def _summary(snapshot: Snapshot) -> dict[str, object]:
    return {
        "id": snapshot.pk,
        "title": snapshot.title,
        "region_code": snapshot.region.code,
        "region_name": snapshot.region.name,
        "period_kind": snapshot.period_kind,
        "start": snapshot.start,
        "end": snapshot.end,
        "version": snapshot.version,
        "published_at": snapshot.published_at,
        "url": snapshot.get_absolute_url(),
        "csv_url": f"{snapshot.get_absolute_url().rstrip('/')}.csv",
    }


@router.get(
    "/published",
    response={200: PublishedPageOut, 404: ErrorOut},
    auth=None,
    summary="Published evaluation results (latest version of each period), newest first",
)
def published_list(request: HttpRequest, filters: Query[PublishedFilter]) -> PublishedPageOut:
    region = region_get(code=filters.region) if filters.region else None
    page = Paginator(selectors.published_latest(region=region), PAGE_SIZE).get_page(filters.page)
    return PublishedPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[PublishedSummaryOut(**_summary(s)) for s in page.object_list],  # type: ignore[arg-type]
    )


@router.get(
    "/published/{snapshot_id}",
    response={200: PublishedOut, 404: ErrorOut},
    auth=None,
    summary="One publication with its tables; 404 when it does not exist",
)
def published_get(request: HttpRequest, snapshot_id: int) -> PublishedOut:
    page = selectors.published_get(pk=snapshot_id)
    snapshot = page.snapshot
    return PublishedOut(
        **_summary(snapshot),  # type: ignore[arg-type]
        methods=list(snapshot.methods),
        remarks=snapshot.remarks,
        replaces_id=page.replaces.pk if page.replaces else None,
        replaced_by_id=page.latest.pk if page.latest else None,
        tables=[
            TableOut(
                key=t.key,
                title=t.title,
                columns=[str(c) for c in t.columns],
                rows=[[_cell(v) for v in row] for row in t.rows],
                note=t.note,
            )
            for t in snapshot.table_list()
        ],
    )


def _cell(value: object) -> CellOut:
    if value is None or isinstance(value, int | float | str):
        return value
    return float(value)  # type: ignore[arg-type]
