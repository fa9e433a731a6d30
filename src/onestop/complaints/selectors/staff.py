"""The workbench door: the complaints of my regions (handling) and of my
stations or registered by me (registering)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.complaints import rules
from onestop.complaints.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintStatus,
)
from onestop.complaints.selectors.common import (
    SIDE_PARTIES,
    SIDE_STAFF,
    ComplaintNotFound,
    clocks_of,
    parties_of,
    with_clock,
)
from onestop.core.crypto import mask_mobile
from onestop.core.errors import InvalidInput
from onestop.core.models import SlaClock


def _staff_condition(user: User) -> Q | None:
    """The complaints a staff member sees: their regions' (handling), those
    received at their stations and those they registered (registering)."""
    handle = authz.region_scope(user, Perm.COMPLAINT_HANDLE)
    register = authz.station_scope(user, Perm.COMPLAINT_REGISTER)
    if handle.empty and register.empty:
        return None
    condition = Q(registered_by=user)
    if not handle.empty:
        condition |= handle.q("region")
    if not register.empty:
        condition |= register.q(region="received_at_station__region", station="received_at_station")
    return condition


def staff_visible(*, user: User) -> QuerySet[Complaint]:
    condition = _staff_condition(user)
    if condition is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(condition)


QUEUE_OPEN, QUEUE_ALL = "open", "all"


def staff_queue(*, user: User, status: str = QUEUE_OPEN) -> QuerySet[Complaint]:
    """The complaints a staff member sees, by status ("open" by default), the
    running clock's due time on each, newest first."""
    complaints = staff_visible(user=user)
    if status == QUEUE_OPEN:
        complaints = complaints.filter(status__in=rules.OPEN_STATUSES)
    elif status in ComplaintStatus.values:
        complaints = complaints.filter(status=status)
    elif status != QUEUE_ALL:
        raise InvalidInput(_("Unknown status."), field="status")
    return with_clock(
        complaints.select_related("institution", "station", "region", "received_at_station")
    ).order_by("-received_at", "-id")


@dataclasses.dataclass(frozen=True)
class StaffPage:
    complaint: Complaint
    events: list[ComplaintEvent]
    attachments: list[ComplaintAttachment]
    clocks: list[SlaClock]
    actions: list[tuple[rules.Rule, str]]
    # The phone as this reader may see it (masked without PERSONAL_DATA_VIEW).
    phone: str

    @property
    def clock(self) -> SlaClock | None:
        return next((c for c in self.clocks if c.stopped_at is None), None)


def complaint_for_staff(*, user: User, number: str) -> Complaint:
    complaint = (
        staff_visible(user=user)
        .filter(number=number)
        .select_related(
            "institution",
            "station",
            "region",
            "order",
            "demand",
            "enterprise",
            "complainant",
            "registered_by",
            "received_at_station",
            "handler",
        )
        .first()
    )
    if complaint is None:
        raise ComplaintNotFound()
    return complaint


def shown_phone(user: User, complaint: Complaint) -> str:
    phone = str(complaint.complainant_phone or "")
    if not phone or authz.has_perm(user, Perm.PERSONAL_DATA_VIEW, complaint.region):
        return phone
    return mask_mobile(phone)


def staff_page(*, user: User, number: str, now: dt.datetime) -> StaffPage:
    """One complaint for staff: who complains (never hidden from the center),
    the timeline, files, clocks and the moves the reader may make."""
    complaint = complaint_for_staff(user=user, number=number)
    held = parties_of(user, complaint, SIDE_PARTIES[SIDE_STAFF])
    return StaffPage(
        complaint=complaint,
        events=list(complaint.events.select_related("actor")),
        attachments=list(complaint.attachments.select_related("document")),
        clocks=clocks_of(complaint),
        actions=rules.allowed_actions(complaint, held, now=now),
        phone=shown_phone(user, complaint),
    )
