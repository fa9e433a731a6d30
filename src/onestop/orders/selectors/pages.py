"""One order as a side sees it, and who may read its documents."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch, QuerySet

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core.models import SlaClock
from onestop.orders import rules
from onestop.orders.models import (
    Order,
    OrderAttachment,
    OrderEvent,
    OrderMessage,
    OrderStatus,
    Party,
)
from onestop.orders.selectors.common import (
    SIDE_INSTITUTION,
    SIDE_PARTIES,
    SIDE_STAFF,
    SIDE_USER,
    STAFF_PARTIES,
    OrderNotFound,
    acceptance_clock,
    parties_of,
)
from onestop.orders.selectors.sides import (
    _of_user,
    institution_of,
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
