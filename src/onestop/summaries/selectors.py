"""Reads of onestop.summaries: the summary managers' region-scoped lists and
pages (outside the scope: "not found"), and the public pages of published
improvement plans. Fixed number of queries each."""

from __future__ import annotations

import dataclasses

from django.db.models import Prefetch, QuerySet

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.regions.models import Region
from onestop.summaries.models import (
    AnnualSummary,
    ImprovementEvent,
    ImprovementItem,
    ImprovementPlan,
)

PERM = Perm.SUMMARY_MANAGE


def manageable_regions(*, user: User) -> QuerySet[Region]:
    """The regions whose summaries and plans the user manages (their subtrees)."""
    return authz.region_scope(user, PERM).filter(Region.objects.all(), "").order_by("path")


def manageable_region(*, user: User, code: str) -> Region:
    region = manageable_regions(user=user).filter(code=code).first()
    if region is None:
        raise NotFound()
    return region


def summaries_for(*, user: User) -> QuerySet[AnnualSummary]:
    """Summaries of the user's regions, newest first."""
    return (
        authz.region_scope(user, PERM)
        .filter(AnnualSummary.objects.all(), "region")
        .select_related("region", "requested_by")
        .order_by("-created_at", "-id")
    )


def summary_get(*, user: User, pk: int) -> AnnualSummary:
    summary = summaries_for(user=user).select_related("published_by").filter(pk=pk).first()
    if summary is None:
        raise NotFound()
    return summary


@dataclasses.dataclass(frozen=True)
class PlanView:
    region: Region
    year: int
    plan: ImprovementPlan | None
    items: list[ImprovementItem]

    @property
    def published(self) -> bool:
        return self.plan is not None and self.plan.published


def _plan_view(region: Region, year: int, *, events: bool) -> PlanView:
    plan = ImprovementPlan.objects.filter(region=region, year=year).select_related("region").first()
    items: list[ImprovementItem] = []
    if plan is not None:
        queryset = ImprovementItem.objects.filter(plan=plan).order_by("number")
        if events:
            queryset = queryset.prefetch_related(
                Prefetch("events", queryset=ImprovementEvent.objects.order_by("at", "id"))
            )
        items = list(queryset)
        for item in items:
            item.plan = plan
    return PlanView(region=region, year=year, plan=plan, items=items)


def plan_for_manager(*, user: User, code: str, year: int) -> PlanView:
    """The plan of one region and year (possibly not started yet)."""
    return _plan_view(manageable_region(user=user, code=code), year, events=False)


def item_get(*, user: User, pk: int) -> ImprovementItem:
    """One item of a plan the user manages, with its moves."""
    item = (
        authz.region_scope(user, PERM)
        .filter(ImprovementItem.objects.all(), "plan__region")
        .select_related("plan__region", "created_by")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ImprovementEvent.objects.select_related("actor").order_by("at", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise NotFound()
    return item


# --- public --------------------------------------------------------------------


def published_plans() -> QuerySet[ImprovementPlan]:
    return (
        ImprovementPlan.objects.filter(published_at__isnull=False)
        .select_related("region")
        .order_by("-year", "region__path")
    )


def published_plan(*, code: str, year: int) -> PlanView:
    """A published plan with its items and their progress (WX 8.2 b);
    unpublished or unknown: not found. Staff names are not part of it."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound()
    view = _plan_view(region, year, events=False)
    if not view.published:
        raise NotFound()
    return view
