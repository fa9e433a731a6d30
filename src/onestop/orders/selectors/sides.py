"""The user's and the institution's side: their orders and what they may order."""

from __future__ import annotations

import dataclasses

from django.db.models import Q, QuerySet

from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.demands.models import Recommendation
from onestop.enterprises.models import Enterprise, EnterpriseStatus, Membership
from onestop.institutions.models import Institution, Offering
from onestop.institutions.selectors import (
    PUBLIC_STATUSES,
    OfferingNotFound,
    institution_for_user,
)
from onestop.orders.models import (
    OPEN_STATUSES,
    Order,
    OrderStatus,
)
from onestop.orders.selectors.common import (
    OrderNotFound,
    enterprise_ids_of,
    with_clock,
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
