"""The fixed rules of fieldwork in one place: the sample state machine,
deadlines and limits. Services check them; pages ask the predicates."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError, InvalidTransition
from onestop.fieldwork.models import Sample, SampleStatus
from onestop.orders.models import OrderStatus

# A proxy task with no due date given is due this many working days after it
# is created (WX 5.3 b: the station handles it on the user's behalf).
PROXY_TASK_WORKING_DAYS = 3
# A follow-up visit is due this many working days after the order completes
# (HM 4.3.4.2).
FOLLOW_UP_WORKING_DAYS = 5
# Wrong pick-up codes: after this many, hand-out is locked for a while.
PICKUP_MAX_FAILURES = 5
PICKUP_LOCK = dt.timedelta(minutes=15)
PICKUP_CODE_DIGITS = 6
# Appointments: the public sees and books slots this many days ahead.
SLOT_WINDOW_DAYS = 14
# Generating slots: at most this many days and slots in one go.
MAX_GENERATE_DAYS = 62
MAX_GENERATE_SLOTS = 500
# Lists in the workbench.
PAGE_SIZE = 50

# The chain of custody (WX 5.2 a 1, HM 4.2.4.3): the station receives, sends,
# the institution confirms receipt (or rejects), uploads the report, the
# station hands the report out against the pick-up code.
SAMPLE_TRANSITIONS: dict[str, frozenset[str]] = {
    SampleStatus.AT_STATION: frozenset({SampleStatus.IN_TRANSIT}),
    SampleStatus.IN_TRANSIT: frozenset({SampleStatus.AT_INSTITUTION, SampleStatus.REJECTED}),
    SampleStatus.AT_INSTITUTION: frozenset({SampleStatus.REPORT_READY, SampleStatus.REJECTED}),
    SampleStatus.REPORT_READY: frozenset({SampleStatus.HANDED_OUT}),
    SampleStatus.REJECTED: frozenset(),
    SampleStatus.HANDED_OUT: frozenset(),
}

# A station takes in samples only for orders still being worked on.
ORDER_STATUSES_FOR_SAMPLES = frozenset(
    {
        OrderStatus.SUBMITTED,
        OrderStatus.ACCEPTED,
        OrderStatus.IN_SERVICE,
        OrderStatus.WAITING_USER,
    }
)
# Proxy tasks can be opened for orders not yet finished.
ORDER_STATUSES_FOR_TASKS = ORDER_STATUSES_FOR_SAMPLES | {OrderStatus.DELIVERED}


def can_move(sample: Sample, to_status: str) -> bool:
    return to_status in SAMPLE_TRANSITIONS.get(sample.status, frozenset())


def can_send(sample: Sample) -> bool:
    return can_move(sample, SampleStatus.IN_TRANSIT)


def can_confirm(sample: Sample) -> bool:
    return can_move(sample, SampleStatus.AT_INSTITUTION)


def can_reject(sample: Sample) -> bool:
    return can_move(sample, SampleStatus.REJECTED)


def can_upload_report(sample: Sample) -> bool:
    return can_move(sample, SampleStatus.REPORT_READY)


def can_hand_out(sample: Sample) -> bool:
    return can_move(sample, SampleStatus.HANDED_OUT)


class SampleTransitionRefused(InvalidTransition):
    code = "sample_transition_refused"
    default_message = _("This sample is “%(status)s”; that step is not possible now.")


def check_move(sample: Sample, to_status: str) -> None:
    if not can_move(sample, to_status):
        raise SampleTransitionRefused(status=SampleStatus(sample.status).label)


class SlotTaken(InvalidTransition):
    code = "slot_taken"
    default_message = _("This time slot has already been booked. Please choose another one.")


class WrongPickupCode(DomainError):
    code = "wrong_pickup_code"
    status = 400
    default_message = _(
        "The pick-up code is not correct. %(left)s more wrong codes will lock the hand-out "
        "of this report for 15 minutes."
    )


class PickupLocked(DomainError):
    code = "pickup_locked"
    status = 429
    default_message = _(
        "Too many wrong pick-up codes. The hand-out of this report is locked until %(until)s; "
        "please check the code with the user and try again then."
    )
