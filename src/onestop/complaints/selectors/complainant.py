"""The complainant's door: my complaints, my complaint's page, my orders."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.complaints import rules
from onestop.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintStatus,
)
from onestop.complaints.selectors.common import (
    SIDE_COMPLAINANT,
    SIDE_PARTIES,
    ComplaintNotFound,
    parties_of,
    running_clock,
)
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.enterprises.models import Enterprise, Membership
from onestop.orders.models import Order
from onestop.orders.selectors import orders_of_user


@dataclasses.dataclass(frozen=True)
class ComplainantPage:
    complaint: Complaint
    events: list[ComplaintEvent]
    attachments: list[ComplaintAttachment]
    clock: SlaClock | None
    actions: list[tuple[rules.Rule, str]]
    reopen_until: dt.datetime | None


# The notes the complainant reads: what was said to them, or by them.
NOTES_FOR_COMPLAINANT = frozenset(
    {
        ComplaintStatus.INVESTIGATING,
        ComplaintStatus.NOT_ACCEPTED,
        ComplaintStatus.FED_BACK,
        ComplaintStatus.CLOSED,
        ComplaintStatus.WITHDRAWN,
    }
)


def complaint_of_complainant(*, user: User, number: str) -> Complaint:
    complaint = (
        Complaint.objects.filter(number=number, complainant=user)
        .select_related("institution", "station", "region", "order", "enterprise")
        .first()
    )
    if complaint is None:
        raise ComplaintNotFound()
    return complaint


def complainant_page(*, user: User, number: str, now: dt.datetime) -> ComplainantPage:
    """My complaint with its timeline, files, running clock and my next steps."""
    complaint = complaint_of_complainant(user=user, number=number)
    held = parties_of(user, complaint, SIDE_PARTIES[SIDE_COMPLAINANT])
    return ComplainantPage(
        complaint=complaint,
        events=list(complaint.events.all()),
        attachments=list(complaint.attachments.select_related("document")),
        clock=running_clock(complaint),
        actions=rules.allowed_actions(complaint, held, now=now),
        reopen_until=rules.reopen_until(complaint),
    )


def my_orders(*, user: User, limit: int = 100) -> list[tuple[str, str]]:
    """(number, label) of the user's orders, newest first, for the complaint form."""
    return [
        (order.number, f"{order.number} · {order.offering.name} · {order.institution.name}")
        for order in orders_of_user(user=user)[:limit]
    ]


def my_order(*, user: User, number: str) -> Order:
    """One of the user's own orders; someone else's is "not found"."""
    order = orders_of_user(user=user).filter(number=number).first()
    if order is None:
        raise NotFound(_("No such order among yours."))
    return order


def my_enterprises(*, user: User) -> list[Enterprise]:
    """The enterprises the user is an active member of (complaining on their behalf)."""
    return [
        membership.enterprise
        for membership in Membership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("enterprise")
        .order_by("joined_at")
    ]
