"""Improvement plans API under /api/v1/summaries/ (public, no login): the
published improvement plans with the progress and re-checks of their items
(WX 8.2 b: re-check information published as it happens); the same
selectors as the public pages. Staff names are not part of it."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from onestop.summaries import selectors
from onestop.summaries.models import ImprovementItem, ImprovementPlan

router = Router(tags=["improvement plans"])

PAGE_SIZE = 20


class ErrorOut(Schema):
    code: str
    detail: str


class PlanFilter(Schema):
    page: int = 1


class PlanSummaryOut(Schema):
    region_code: str
    region_name: str
    year: int
    published_at: dt.datetime
    url: str


class PlanPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PlanSummaryOut]


class ItemOut(Schema):
    number: int
    problem: str
    measure: str
    owner: str
    due_on: dt.date
    state: str
    state_label: str
    started_on: dt.date | None
    done_on: dt.date | None
    recheck_result: str
    rechecked_on: dt.date | None


class PlanOut(PlanSummaryOut):
    items: list[ItemOut]


def _summary(plan: ImprovementPlan) -> PlanSummaryOut:
    if plan.published_at is None:  # pragma: no cover - selectors return published plans
        raise ValueError("unpublished plan")
    return PlanSummaryOut(
        region_code=plan.region.code,
        region_name=plan.region.name,
        year=plan.year,
        published_at=plan.published_at,
        url=plan.get_absolute_url(),
    )


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _item(item: ImprovementItem) -> ItemOut:
    return ItemOut(
        number=item.number,
        problem=item.problem,
        measure=item.measure,
        owner=item.owner,
        due_on=item.due_on,
        state=item.state,
        state_label=str(item.get_state_display()),
        started_on=_day(item.started_at),
        done_on=_day(item.done_at),
        recheck_result=item.recheck_result,
        rechecked_on=item.rechecked_on,
    )


@router.get(
    "/plans",
    response={200: PlanPageOut},
    auth=None,
    summary="Published improvement plans, newest year first",
)
def plan_list(request: HttpRequest, filters: Query[PlanFilter]) -> PlanPageOut:
    page = Paginator(selectors.published_plans(), PAGE_SIZE).get_page(filters.page)
    return PlanPageOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[_summary(plan) for plan in page.object_list],
    )


@router.get(
    "/plans/{code}/{year}",
    response={200: PlanOut, 404: ErrorOut},
    auth=None,
    summary="One published plan with its items; 404 when unpublished or unknown",
)
def plan_get(request: HttpRequest, code: str, year: int) -> PlanOut:
    view = selectors.published_plan(code=code, year=year)
    plan = view.plan
    if plan is None:  # pragma: no cover - published_plan raises NotFound first
        raise ValueError("no plan")
    return PlanOut(**_summary(plan).model_dump(), items=[_item(item) for item in view.items])
