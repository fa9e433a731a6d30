"""Who is who on an order, the acceptance clock, the constants the other modules share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.enterprises.models import Membership
from onestop.institutions.selectors import (
    institution_for_user,
)
from onestop.orders.models import (
    ACCEPTANCE_CLOCK,
    Order,
    Party,
)

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
