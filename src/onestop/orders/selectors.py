"""Reads of orders, through the reader's side of the order.

Three doors (WX App. A, HM 4.3.4.1): the user who ordered (and the other
active members of the enterprise it was ordered for) sees their orders; the
people of the institution see the orders placed with it; staff holding
Perm.ORDER_OVERSEE see every order of their regions (an order belongs to the
orderer's region). Anything else is "not found", so an order number in a URL
confirms nothing. Every read is a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core.errors import InvalidInput, NotFound
from onestop.core.models import SlaClock
from onestop.demands.models import Recommendation
from onestop.enterprises.models import Enterprise, EnterpriseStatus, Membership
from onestop.institutions.models import Institution, Offering
from onestop.institutions.selectors import (
    PUBLIC_STATUSES,
    OfferingNotFound,
    institution_for_user,
)
from onestop.orders import rules
from onestop.orders.models import (
    ACCEPTANCE_CLOCK,
    OPEN_STATUSES,
    Order,
    OrderAttachment,
    OrderEvent,
    OrderMessage,
    OrderStatus,
    Party,
)
from onestop.regions.models import Region

# Pages of the staff queue count at most this far; beyond it they say "more".
COUNT_CAP = 10_000

SIDE_USER, SIDE_INSTITUTION, SIDE_STAFF = "user", "institution", "staff"
# The parties a person may act as from each side's pages.
SIDE_PARTIES: dict[str, frozenset[str]] = {
    SIDE_USER: frozenset({Party.USER}),
    SIDE_INSTITUTION: frozenset({Party.INSTITUTION}),
    SIDE_STAFF: frozenset({Party.PROXY, Party.CENTER, Party.STAFF}),
}
STAFF_PARTIES = SIDE_PARTIES[SIDE_STAFF]


class OrderNotFound(NotFound):
    code = "order_not_found"
    default_message = _("No such order.")


# --- who is who on an order ----------------------------------------------------------


def enterprise_ids_of(user: Any) -> list[int]:
    """The enterprises the user is an active member of (one query)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, removed_at__isnull=True).values_list(
            "enterprise_id", flat=True
        )
    )


def parties_of(user: Any, order: Order, among: Iterable[str] | None = None) -> frozenset[str]:
    """On which sides of ``order`` the user stands (rules.Party values),
    looking only at the sides ``among`` when given (fewer queries).

    USER: placed it, or is an active member of the enterprise it is for.
    INSTITUTION: acts for the institution it was placed with.
    PROXY: handles fieldwork in its region while a station handles it.
    CENTER: handles escalations (service center) over its region.
    STAFF: oversees orders in its region (reads and writes messages).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    wanted = frozenset(among) if among is not None else frozenset(Party)
    held: set[str] = set()
    if Party.USER in wanted and (
        order.user_id == user.pk
        or (order.enterprise_id is not None and order.enterprise_id in enterprise_ids_of(user))
    ):
        held.add(Party.USER)
    if Party.INSTITUTION in wanted:
        institution = institution_for_user(user)
        if institution is not None and institution.pk == order.institution_id:
            held.add(Party.INSTITUTION)
    if wanted & STAFF_PARTIES:
        region = order.region
        if order.proxy_station_id is not None and authz.has_perm(
            user, authz.Perm.FIELDWORK_HANDLE, region
        ):
            held.add(Party.PROXY)
        if authz.has_perm(user, authz.Perm.ESCALATION_HANDLE, region):
            held.add(Party.CENTER)
        if authz.has_perm(user, authz.Perm.ORDER_OVERSEE, region):
            held.add(Party.STAFF)
    return frozenset(held & wanted)


# --- clocks ----------------------------------------------------------------------------


def _order_type_id() -> int:
    return ContentType.objects.get_for_model(Order).pk


def _clock_rows() -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(
        subject_type_id=_order_type_id(), kind=ACCEPTANCE_CLOCK, stopped_at__isnull=True
    )


def acceptance_clock(order: Order) -> SlaClock | None:
    """The running (or paused) acceptance clock of the order, if any."""
    return _clock_rows().filter(subject_id=str(order.pk)).first()


def with_clock(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Annotate due_at and at_risk_at of the running acceptance clock (or None)."""
    clocks = _clock_rows().filter(subject_id=Cast(OuterRef("pk"), output_field=CharField()))
    return orders.annotate(
        due_at=Subquery(clocks.values("due_at")[:1]),
        at_risk_at=Subquery(clocks.values("at_risk_at")[:1]),
    )


# --- the user's side -----------------------------------------------------------------------


def _of_user(user: User) -> QuerySet[Order]:
    enterprises = enterprise_ids_of(user)
    condition = Q(user=user)
    if enterprises:
        condition |= Q(enterprise_id__in=enterprises)
    return Order.objects.filter(condition)


def orders_of_user(*, user: User) -> QuerySet[Order]:
    """The user's orders (and their enterprise's), newest first."""
    return _of_user(user).select_related("institution", "offering").order_by("-created_at", "-id")


@dataclasses.dataclass(frozen=True)
class Customer:
    """For whom a user may order: themselves if real-name verified, and the
    verified enterprises they act for (WX App. A "是否为会员")."""

    individual: bool
    enterprises: list[Enterprise]

    @property
    def may_order(self) -> bool:
        return self.individual or bool(self.enterprises)


def customer_of(*, user: User) -> Customer:
    """Two queries."""
    from onestop.verification.models import Identity

    enterprises = [
        membership.enterprise
        for membership in Membership.objects.filter(
            user=user, removed_at__isnull=True, enterprise__status=EnterpriseStatus.VERIFIED
        )
        .select_related("enterprise")
        .order_by("joined_at")
    ]
    return Customer(individual=Identity.objects.filter(user=user).exists(), enterprises=enterprises)


def offering_for_order(*, offering_id: int) -> Offering:
    """An offering whose page the public may open, whatever its state (the
    order form explains why a withdrawn one cannot be ordered): one query."""
    offering = (
        Offering.objects.filter(pk=offering_id, institution__status__in=PUBLIC_STATUSES)
        .select_related("institution", "qualification", "category")
        .first()
    )
    if offering is None:
        raise OfferingNotFound()
    return offering


def recommendation_for_user(*, user: User, recommendation_id: int) -> Recommendation:
    """A recommendation made for one of the user's own demands; else "not found"."""
    recommendation = (
        Recommendation.objects.filter(pk=recommendation_id, demand__requester=user)
        .select_related("demand")
        .first()
    )
    if recommendation is None:
        raise NotFound()
    return recommendation


# --- the institution's side --------------------------------------------------------------


def institution_of(*, user: User) -> Institution:
    """The institution the user acts for; "not found" without one."""
    institution = institution_for_user(user)
    if institution is None:
        raise OrderNotFound()
    return institution


def institution_queue(*, institution: Institution, status: str = "") -> QuerySet[Order]:
    """Orders placed with the institution: ``"open"`` (the default queue),
    one status, or all. Orders awaiting acceptance come oldest first (the
    soonest deadline), the rest newest first; each row carries its clock."""
    orders = Order.objects.filter(institution=institution).select_related(
        "offering", "enterprise", "user"
    )
    if status == "open":
        orders = orders.filter(status__in=OPEN_STATUSES)
    elif status:
        orders = orders.filter(status=status)
    ordering = ["created_at", "id"] if status == OrderStatus.SUBMITTED else ["-created_at", "-id"]
    return with_clock(orders).order_by(*ordering)


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


# --- one order -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class OrderPage:
    order: Order
    side: str
    parties: frozenset[str]
    events: list[OrderEvent]
    messages: list[OrderMessage]
    attachments: list[OrderAttachment]
    clock: SlaClock | None
    actions: list[rules.Rule]
    # Staff who handle fieldwork here may escalate and set proxy handling.
    can_handle_fieldwork: bool = False

    @property
    def has_report(self) -> bool:
        return any(a.kind == "report" for a in self.attachments)

    @property
    def attach_kinds(self) -> list[str]:
        """Which kinds of attachment this viewer may add now."""
        if rules.is_closed(self.order.status):
            return []
        kinds = ["report", "quote"] if Party.INSTITUTION in self.parties else []
        if self.parties & {Party.USER, Party.INSTITUTION, Party.PROXY, Party.CENTER}:
            kinds.append("other")
        return kinds

    @property
    def can_escalate(self) -> bool:
        return (
            self.side == SIDE_STAFF
            and self.order.is_open
            and self.order.escalated_at is None
            and self.can_handle_fieldwork
        )


def _detailed(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.select_related(
        "institution", "offering__category", "region", "user", "enterprise", "proxy_station"
    ).prefetch_related(
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        Prefetch("messages", queryset=OrderMessage.objects.select_related("author")),
        Prefetch(
            "attachments",
            queryset=OrderAttachment.objects.select_related("document", "uploaded_by"),
        ),
    )


def _find(orders: QuerySet[Order], number: str) -> Order:
    order = _detailed(orders).filter(number=number).first()
    if order is None:
        raise OrderNotFound()
    return order


def order_for_side(*, user: User, number: str, side: str) -> Order:
    """The order behind ``number`` if ``user`` may open it from ``side``."""
    if side == SIDE_USER:
        return _find(_of_user(user), number)
    if side == SIDE_INSTITUTION:
        return _find(Order.objects.filter(institution=institution_of(user=user)), number)
    if side == SIDE_STAFF:
        scope = authz.region_scope(user, authz.Perm.ORDER_OVERSEE)
        return _find(scope.filter(Order.objects.all(), "region"), number)
    raise OrderNotFound()


def order_page(*, user: User, number: str, side: str) -> OrderPage:
    """An order with its timeline, messages, attachments, running clock and the
    moves the viewer may make from this side (a fixed number of queries)."""
    order = order_for_side(user=user, number=number, side=side)
    parties = parties_of(user, order, SIDE_PARTIES[side])
    return OrderPage(
        order=order,
        side=side,
        parties=parties,
        events=list(order.events.all()),
        messages=list(order.messages.all()),
        attachments=list(order.attachments.all()),
        clock=acceptance_clock(order) if order.status == OrderStatus.SUBMITTED else None,
        actions=rules.allowed_actions(order.status, parties),
        can_handle_fieldwork=side == SIDE_STAFF
        and authz.has_perm(user, authz.Perm.FIELDWORK_HANDLE, order.region),
    )


# --- documents ------------------------------------------------------------------------------


def attachment_readable_by(user: Any, document: Any) -> bool:
    """documents reader predicate: an order's attachment may be read by the
    orderer's side and the institution's people, and by staff overseeing
    the order's region after their second factor (two queries at most)."""
    from onestop.accounts.twofactor import session_is_verified

    attachment = (
        OrderAttachment.objects.filter(document_id=document.pk)
        .select_related("order__region")
        .first()
    )
    if attachment is None:
        return False
    parties = parties_of(user, attachment.order)
    if parties & {Party.USER, Party.INSTITUTION}:
        return True
    return bool(parties & STAFF_PARTIES) and bool(session_is_verified(user))


# --- Open311 ---------------------------------------------------------------------------------

NUMBER = re.compile(r"^(DD|XQ)\d{13,15}$")
MAX_NUMBERS = 20


def clean_numbers(raw: Iterable[str]) -> list[str]:
    """Order/demand numbers from a request, de-duplicated; InvalidInput when malformed."""
    numbers = list(dict.fromkeys(n.strip().upper() for n in raw if n.strip()))
    if not numbers:
        raise InvalidInput(_("Give at least one request number."))
    if len(numbers) > MAX_NUMBERS:
        raise InvalidInput(_("At most %(n)s numbers at a time."), n=MAX_NUMBERS)
    for number in numbers:
        if not NUMBER.match(number):
            raise InvalidInput(_("%(number)s is not a request number."), number=number)
    return numbers


@dataclasses.dataclass(frozen=True)
class PublicRequest:
    """What anyone may know of a demand or an order from its number
    (Open311 GeoReport v2 style): no person, no text anyone typed."""

    number: str
    service_code: str
    service_name: str
    open: bool
    status: str
    status_label: str
    requested_at: dt.datetime
    updated_at: dt.datetime
    expected_at: dt.datetime | None
    agency: str


def _running_due(type_id: int, ids: list[int]) -> dict[str, dt.datetime]:
    """The earliest due time of each subject's running clocks (one query)."""
    due: dict[str, dt.datetime] = {}
    rows = SlaClock.objects.filter(
        subject_type_id=type_id,
        subject_id__in=[str(pk) for pk in ids],
        stopped_at__isnull=True,
        paused_at__isnull=True,
    ).values_list("subject_id", "due_at")
    for subject_id, due_at in rows:
        if subject_id not in due or due_at < due[subject_id]:
            due[subject_id] = due_at
    return due


def open311_requests(*, numbers: list[str]) -> list[PublicRequest]:
    """Public status of the demands (XQ…) and orders (DD…) named, in the
    order asked; unknown numbers are left out. Four queries at most."""
    from django.conf import settings

    from onestop.core.workdays import end_of_day
    from onestop.demands.models import Demand, DemandStatus

    found: dict[str, PublicRequest] = {}
    order_numbers = [n for n in numbers if n.startswith("DD")]
    demand_numbers = [n for n in numbers if n.startswith("XQ")]
    if order_numbers:
        orders = list(
            Order.objects.filter(number__in=order_numbers).select_related(
                "offering__category", "institution"
            )
        )
        due = _running_due(_order_type_id(), [o.pk for o in orders])
        for order in orders:
            expected = due.get(str(order.pk))
            if expected is None and order.expected_completion is not None:
                # Completion is promised for a day: its end, like every deadline.
                expected = end_of_day(order.expected_completion)
            category = order.offering.category
            found[order.number] = PublicRequest(
                number=order.number,
                service_code=category.code,
                service_name=category.name,
                open=order.status in OPEN_STATUSES,
                status=order.status,
                status_label=str(order.get_status_display()),
                requested_at=order.created_at,
                updated_at=order.updated_at,
                expected_at=expected,
                agency=order.institution.name,
            )
    if demand_numbers:
        demands = list(
            Demand.objects.filter(number__in=demand_numbers).select_related("category", "station")
        )
        demand_type = ContentType.objects.get_for_model(Demand).pk
        due = _running_due(demand_type, [d.pk for d in demands])
        still_open = {DemandStatus.PUBLISHED, DemandStatus.RESPONDED, DemandStatus.RECOMMENDED}
        for demand in demands:
            found[demand.number] = PublicRequest(
                number=demand.number,
                service_code=demand.category.code,
                service_name=demand.category.name,
                open=demand.status in still_open,
                status=demand.status,
                status_label=str(demand.get_status_display()),
                requested_at=demand.created_at,
                updated_at=demand.updated_at,
                expected_at=due.get(str(demand.pk)),
                agency=demand.station.name
                if demand.station is not None
                else str(settings.ONESTOP_PLATFORM_NAME),
            )
    return [found[n] for n in numbers if n in found]
