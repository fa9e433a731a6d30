"""What the complaint services share: locking, text checks, events, clocks, notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.complaints import selectors
from onestop.complaints.models import (
    INVESTIGATION_CLOCK,
    INVESTIGATION_WORKING_DAYS,
    Complaint,
    ComplaintEvent,
    ComplaintStatus,
    EventKind,
)
from onestop.core.errors import InvalidInput
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.institutions.selectors import institution_people
from onestop.notifications.services import notify

S = ComplaintStatus

# Steps a complainant without an account hears about by text message.
SMS_TO_OFFLINE = frozenset({S.RECEIVED, S.INVESTIGATING, S.NOT_ACCEPTED, S.FED_BACK})
# Steps after which a complainant with an account also gets a text message.
SMS_TO_ACCOUNT = frozenset({S.INVESTIGATING, S.NOT_ACCEPTED, S.FED_BACK})
# Steps the institution sees in its timeline.
VISIBLE_TO_INSTITUTION = frozenset({S.FORWARDED, S.RESPONDED, S.CONCLUDED})


def lock(complaint: Complaint) -> Complaint:
    """The complaint, locked until the transaction ends: two moves at once
    queue up and the second sees the first's result. Only the complaint row
    is locked (its optional joins cannot be, on PostgreSQL)."""
    return (
        Complaint.objects.select_for_update(no_key=True, of=("self",))
        .select_related("institution", "station", "region", "complainant")
        .get(pk=complaint.pk)
    )


def clean_text(
    value: str | None, *, field: str, label: str | Promise, limit: int, required: bool = True
) -> str:
    """Stripped text within ``limit`` characters; checked before any query."""
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise InvalidInput(
            _("%(label)s may be at most %(n)s characters."), field=field, label=label, n=limit
        )
    if required and not cleaned:
        raise InvalidInput(_("Enter %(label)s."), field=field, label=label)
    return cleaned


def record_event(
    *,
    complaint: Complaint,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    kind: str = EventKind.TRANSITION,
) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
        visible_to_institution=to_status in VISIBLE_TO_INSTITUTION,
    )


def audit(actor: User | None, action: str, complaint: Complaint, **changes: object) -> None:
    audit_record(
        actor=actor, action=action, obj=complaint, region=complaint.region, changes=changes
    )


# --- the 7-working-day clock (WX 7.4.3) ------------------------------------------------------


def start_clock(complaint: Complaint, *, at: dt.datetime | None = None) -> None:
    """From receipt (or reopening): investigated and forwarded within 7
    working days. Raises CalendarNotCovered (the caller's transaction then
    stores nothing)."""
    sla_clock_start(
        subject=complaint,
        kind=INVESTIGATION_CLOCK,
        working_days=INVESTIGATION_WORKING_DAYS,
        started_at=at,
        region=complaint.region,
    )


def stop_clock(complaint: Complaint) -> None:
    clock = selectors.running_clock(complaint)
    if clock is not None:
        sla_clock_stop(clock=clock)


# --- who hears about it ------------------------------------------------------------------


def _without(people: Iterable[User], actor: User | None) -> list[User]:
    seen: dict[int, User] = {}
    for person in people:
        if actor is None or person.pk != actor.pk:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def complainant_message(complaint: Complaint, to_status: str, note: str) -> tuple[str, str]:
    """(title, body) of what the complainant is told about a step."""
    number = complaint.number
    titles: dict[str, Promise] = {
        S.RECEIVED: _("Your complaint has been registered under number %(number)s."),
        S.INVESTIGATING: _("Complaint %(number)s has been accepted and is being investigated."),
        S.NOT_ACCEPTED: _("Complaint %(number)s was not accepted."),
        S.FORWARDED: _("Complaint %(number)s has been forwarded to the institution."),
        S.FED_BACK: _("The outcome of complaint %(number)s is available."),
    }
    template = titles.get(to_status, _("Complaint %(number)s: %(status)s"))
    title = str(template) % {"number": number, "status": S(to_status).label}
    return title, note


def tell_complainant(
    *, complaint: Complaint, actor: User | None, event: ComplaintEvent, note: str = ""
) -> None:
    """The complainant hears about a step: an account in its inbox (and by SMS
    for the important steps); a complainant registered offline without an
    account by a text message to the phone they gave."""
    title, body = complainant_message(complaint, event.to_status, note)
    if complaint.complainant is not None:
        notify(
            recipients=_without([complaint.complainant], actor),
            kind=f"complaints.{event.to_status}",
            title=title,
            body=body,
            url=complaint.get_absolute_url(),
            channels_=["sms"] if event.to_status in SMS_TO_ACCOUNT else [],
        )
    elif complaint.complainant_phone and event.to_status in SMS_TO_OFFLINE:
        from onestop.complaints.tasks import complaint_sms_send

        transaction.on_commit(partial(complaint_sms_send.delay, event.pk))


def center_people(complaint: Complaint) -> list[User]:
    return list(authz.holders_over(Role.CENTER_STAFF, complaint.region))


def tell_center(*, complaint: Complaint, actor: User | None, title: str, body: str = "") -> None:
    people = center_people(complaint)
    if complaint.handler is not None:
        people.append(complaint.handler)
    notify(
        recipients=_without(people, actor),
        kind="complaints.center",
        title=title,
        body=body,
        url=complaint.staff_url,
    )


def tell_institution(
    *, complaint: Complaint, actor: User | None, title: str, sms: bool = False
) -> None:
    if complaint.institution is None:
        return
    notify(
        recipients=_without(institution_people(complaint.institution), actor),
        kind="complaints.institution",
        title=title,
        url=complaint.institution_url,
        channels_=["sms"] if sms else [],
    )
