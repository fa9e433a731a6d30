"""What every demand service shares: locking, numbers, clocks, the history
row, notices, and validation of what people type."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import SlaClock
from onestop.core.selectors import sla_clocks_for
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.demands import selectors
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    RESPONSE_CLOCK,
    ContactMethod,
    Demand,
    DemandEvent,
    DemandSequence,
)
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus

# WX 7.2.2.2.1: respond within 1 working day, recommend within 3.
RESPONSE_WORKING_DAYS = 1
RECOMMENDATION_WORKING_DAYS = 3
NUMBER_PREFIX = "XQ"

_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,24}$")
_PLAIN_TEXT = re.compile(r"^[^<>{}\\]*$", re.DOTALL)


class FieldError(InvalidInput):
    """Invalid input about one named field."""

    def __init__(self, field: str, message: Any, **params: Any) -> None:
        super().__init__(message, field=field, **params)


# --- locking and numbers -------------------------------------------------------------


def lock(demand: Demand) -> Demand:
    """The demand's row, locked until the transaction ends; the state is read
    again under the lock, so two people acting at once are serialised."""
    # Only joins whose rows never change with the demand: on PostgreSQL a
    # waiting FOR UPDATE re-reads the locked row but not the joined ones, so a
    # joined assigned_to would still show the state from before the wait.
    return (
        Demand.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "category")
        .get(pk=demand.pk)
    )


def next_number(now: dt.datetime) -> str:
    """XQ + the China date + a 5-digit sequence of that day (XQ2026112100001).

    The day's counter row is created if missing (a conflict-ignoring insert,
    so two first publications of a day do not clash) and then locked: the
    numbers of concurrent publications queue up behind it.
    """
    day = workdays.local_date(now)
    DemandSequence.objects.bulk_create([DemandSequence(day=day)], ignore_conflicts=True)
    sequence = DemandSequence.objects.select_for_update(no_key=True).get(day=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{NUMBER_PREFIX}{day:%Y%m%d}{sequence.last:05d}"


# --- clocks -----------------------------------------------------------------------------


def check_calendar(now: dt.datetime) -> None:
    """Raise CalendarNotCovered before anything is written when the
    recommendation deadline falls in a year without holiday data."""
    workdays.load_calendar().add_workdays(now, RECOMMENDATION_WORKING_DAYS)


def start_clocks(demand: Demand, now: dt.datetime) -> None:
    """WX 7.2.2.2.1: both clocks start when the demand is published or registered."""
    sla_clock_start(
        subject=demand,
        kind=RESPONSE_CLOCK,
        working_days=RESPONSE_WORKING_DAYS,
        started_at=now,
        region=demand.region,
    )
    sla_clock_start(
        subject=demand,
        kind=RECOMMENDATION_CLOCK,
        working_days=RECOMMENDATION_WORKING_DAYS,
        started_at=now,
        region=demand.region,
    )


def running_clock(demand: Demand, kind: str) -> SlaClock | None:
    return (
        sla_clocks_for(
            subject_type_id=ContentType.objects.get_for_model(Demand).pk,
            subject_id=str(demand.pk),
        )
        .filter(kind=kind, stopped_at__isnull=True)
        .first()
    )


def stop_clock(demand: Demand, kind: str, at: dt.datetime) -> SlaClock | None:
    clock = running_clock(demand, kind)
    if clock is not None:
        clock = sla_clock_stop(clock=clock, at=at)
    return clock


def stop_all_clocks(demand: Demand, at: dt.datetime) -> None:
    for kind in (RESPONSE_CLOCK, RECOMMENDATION_CLOCK):
        stop_clock(demand, kind, at)


# --- history and notices --------------------------------------------------------------


def event(
    demand: Demand,
    *,
    actor: User | None,
    kind: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> DemandEvent:
    return DemandEvent.objects.create(
        demand=demand,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def tell_requester(
    demand: Demand, *, kind: str, title: Any, body: Any = "", sms: bool = False
) -> None:
    """A notice to the person who needs the service (a prospect without an
    account is told by staff, by phone or in person)."""
    from onestop.notifications.services import notify

    if demand.requester is None or not demand.requester.is_active:
        return
    notify(
        recipients=[demand.requester],
        kind=kind,
        title=str(title),
        body=str(body),
        url=demand.get_absolute_url(),
        channels_=["sms"] if sms else [],
    )


def tell_staff(
    demand: Demand,
    *,
    kind: str,
    title: Any,
    body: Any = "",
    people: Iterable[User] | None = None,
    skip: User | None = None,
) -> None:
    """A notice to the responsible staff (or ``people``), not to the one acting."""
    from onestop.notifications.services import notify

    recipients = list(people) if people is not None else selectors.responsible(demand)
    recipients = [u for u in recipients if skip is None or u.pk != skip.pk]
    if recipients:
        notify(
            recipients=recipients,
            kind=kind,
            title=str(title),
            body=str(body),
            url=demand.staff_url,
        )


def tell_institution(
    institution: Any, *, kind: str, title: Any, body: Any = "", sms: bool = False
) -> None:
    """A notice to the people of an institution, linking to their docked demands."""
    from django.urls import reverse

    from onestop.institutions.selectors import institution_people
    from onestop.notifications.services import notify

    people = list(institution_people(institution))
    if people:
        notify(
            recipients=people,
            kind=kind,
            title=str(title),
            body=str(body),
            url=reverse("demands:dockings"),
            channels_=["sms"] if sms else [],
        )


# --- who may act ---------------------------------------------------------------------------


def require_handler(actor: User, demand: Demand) -> None:
    """Staff handling demands in the demand's region; once escalated, only the
    service center (HM 4.3.3.2: what a station cannot solve goes up)."""
    authz.require(actor, authz.Perm.DEMAND_HANDLE, demand.region)
    if demand.escalated_at is not None and not authz.has_perm(
        actor, authz.Perm.ESCALATION_HANDLE, demand.region
    ):
        raise InvalidTransition(
            _("This demand has been escalated; the service center handles it now.")
        )


def serves(station: Station, region: Region) -> bool:
    return region.path.startswith(station.region.path)


def check_station(station: Station, region: Region, field: str = "station") -> None:
    if station.status != StationStatus.ACTIVE:
        raise FieldError(field, _("The chosen station is closed."))
    if not serves(station, region):
        raise FieldError(field, _("The chosen station does not serve this region."))


# --- what people type ------------------------------------------------------------------------


def clean_text(value: str | None, *, field: str, label: Any, low: int, high: int) -> str:
    value = (value or "").strip()
    if len(value) < low:
        if low <= 1:
            raise FieldError(field, _("Please fill in %(label)s."), label=str(label))
        raise FieldError(
            field,
            _("%(label)s needs at least %(n)s characters."),
            label=str(label),
            n=low,
        )
    if len(value) > high:
        raise FieldError(
            field, _("%(label)s has at most %(n)s characters."), label=str(label), n=high
        )
    if not _PLAIN_TEXT.match(value):
        raise FieldError(field, _("%(label)s must not contain < > { } or \\."), label=str(label))
    return value


def clean_phone(value: str | None, *, field: str = "contact_phone", required: bool) -> str:
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise FieldError(field, _("Enter a phone number to be called or texted on."))
        return ""
    if not _PHONE.match(value):
        raise FieldError(field, _("Enter a phone number of digits, spaces and hyphens."))
    return value


def check_contact(
    *, method: str, phone: str, requester: User | None, field: str = "contact_method"
) -> str:
    """The way to be contacted must be usable: a phone for calls and SMS, an
    account for platform messages, an e-mail address on the account for e-mail."""
    if method not in ContactMethod.values:
        raise FieldError(field, _("Choose how you would like to be contacted."))
    if method in (ContactMethod.PHONE, ContactMethod.SMS):
        return clean_phone(phone, required=True)
    if requester is None:
        raise FieldError(
            field,
            _("Someone without an account can only be contacted by phone or SMS."),
        )
    if method == ContactMethod.EMAIL and not requester.email:
        raise FieldError(field, _("The account has no e-mail address; choose another way."))
    return clean_phone(phone, required=False)


def check_desired_date(value: dt.date | None, today: dt.date) -> None:
    if value is not None and value < today:
        raise FieldError("desired_date", _("The date wanted cannot be in the past."))


def now() -> dt.datetime:
    return timezone.now()
