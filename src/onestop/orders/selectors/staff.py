"""The staff side: the queue of every order of one's regions, counted up to a cap."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db.models import BigIntegerField, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core.errors import InvalidInput
from onestop.institutions.models import Institution
from onestop.orders.models import (
    OPEN_STATUSES,
    Order,
)
from onestop.orders.selectors.common import (
    COUNT_CAP,
    _clock_rows,
    with_clock,
)
from onestop.regions.models import Region

# --- staff -------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class StaffFilter:
    status: str = ""
    institution_id: int | None = None
    institution_name: str = ""
    # "", "running", "at_risk" or "breached" (of the acceptance clock)
    clock: str = ""
    escalated: bool = False


CLOCK_STATES = ("running", "at_risk", "breached")


def _overseen(user: User) -> QuerySet[Order]:
    scope = authz.region_scope(user, authz.Perm.ORDER_OVERSEE)
    if scope.empty:
        return Order.objects.none()
    if scope.everywhere:
        return Order.objects.all()
    # The scope's region ids as a list (one small query) rather than a join or
    # a subquery: PostgreSQL then uses region_id = ANY(…) as an index
    # condition, so the capped count is an index-only scan (bench/orders.py).
    regions = list(Region.objects.filter(scope.q("")).values_list("pk", flat=True))
    return Order.objects.filter(region_id__in=regions)


def staff_queue(
    *, user: User, filters: StaffFilter | None = None, now: dt.datetime | None = None
) -> QuerySet[Order]:
    """Orders in the staff member's regions, newest first, filtered by status,
    institution, the acceptance clock's state and escalation (HM 4.3.3.2)."""
    filters = filters or StaffFilter()
    orders = _overseen(user)
    if filters.status == "open":
        orders = orders.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        orders = orders.filter(status=filters.status)
    if filters.institution_id is not None:
        orders = orders.filter(institution_id=filters.institution_id)
    if filters.institution_name:
        orders = orders.filter(
            institution_id__in=Institution.objects.filter(
                name__icontains=filters.institution_name
            ).values("pk")
        )
    if filters.escalated:
        orders = orders.filter(escalated_at__isnull=False, status__in=OPEN_STATUSES)
    if filters.clock:
        if filters.clock not in CLOCK_STATES:
            raise InvalidInput(_("Unknown clock state."), field="clock")
        now = now or timezone.now()
        clocks = _clock_rows().filter(paused_at__isnull=True)
        if filters.clock == "running":
            clocks = clocks.filter(due_at__gt=now)
        elif filters.clock == "at_risk":
            clocks = clocks.filter(at_risk_at__lte=now, due_at__gt=now)
        else:
            clocks = clocks.filter(due_at__lte=now)
        ids = clocks.annotate(order_id=Cast("subject_id", output_field=BigIntegerField()))
        orders = orders.filter(pk__in=Subquery(ids.values("order_id")))
    # The columns the queue shows, not every column of four tables (the rows
    # of a province's queue are read a page at a time, but each is built).
    return with_clock(
        orders.select_related("institution", "offering", "region").only(*QUEUE_COLUMNS)
    ).order_by("-created_at", "-id")


QUEUE_COLUMNS = (
    "number",
    "status",
    "created_at",
    "escalated_at",
    "expected_completion",
    "proxy_station_id",
    "institution__name",
    "offering__name",
    "region__name",
)


@dataclasses.dataclass(frozen=True)
class CappedPage:
    """A page of a long list counted only up to COUNT_CAP (beyond it the page
    says "more than 10,000"); the next-page link comes from one extra row."""

    object_list: list[Any]
    number: int
    per_page: int
    count: int
    capped: bool
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def num_pages(self) -> int | None:
        """None when the count was capped."""
        if self.capped:
            return None
        return max(1, -(-self.count // self.per_page))


def capped_page(orders: QuerySet[Order], *, page: Any, per_page: int) -> CappedPage:
    """One page and a count that stops at COUNT_CAP: three queries whatever the size."""
    try:
        number = max(1, int(page))
    except (TypeError, ValueError):
        number = 1
    count = orders.order_by().values("pk")[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    if not capped:
        number = min(number, max(1, -(-count // per_page)))
    start = (number - 1) * per_page
    # Deferred join: skip ``start`` rows reading only ids, then load the page's
    # rows with their joins (a deep page no longer joins every skipped row).
    ids = list(orders.values_list("pk", flat=True)[start : start + per_page + 1])
    rows = list(orders.filter(pk__in=ids)) if ids else []
    return CappedPage(
        object_list=rows[:per_page],
        number=number,
        per_page=per_page,
        count=min(count, COUNT_CAP),
        capped=capped,
        has_next=len(rows) > per_page,
    )
