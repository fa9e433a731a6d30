"""Writes for the working-day calendar and SLA clocks."""

from __future__ import annotations

import datetime as dt

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import CalendarDay, CalendarYear, SlaClock, SlaOutcome, SlaPause
from onestop.regions.models import Region


@transaction.atomic
def calendar_day_set(
    *, actor: User, date: dt.date, is_workday: bool, name: str = ""
) -> CalendarDay:
    """Record a holiday or an adjusted working day from the State Council notice."""
    day, _created = CalendarDay.objects.update_or_create(
        date=date,
        defaults={"is_workday": is_workday, "name": name, "created_by": actor},
    )
    audit_record(
        actor=actor,
        action="calendar.day_set",
        obj=day,
        changes={"date": date.isoformat(), "is_workday": is_workday, "name": name},
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor: User, date: dt.date) -> None:
    deleted, _rows = CalendarDay.objects.filter(date=date).delete()
    if not deleted:
        raise InvalidInput(_("No calendar entry exists for %(date)s."), date=date.isoformat())
    audit_record(actor=actor, action="calendar.day_delete", changes={"date": date.isoformat()})


@transaction.atomic
def calendar_year_declare(*, actor: User, year: int, source: str = "") -> CalendarYear:
    """Declare that every holiday and adjusted working day of ``year`` is entered."""
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("The year must be between 2000 and 2100."))
    if year in workdays.library_years():
        raise InvalidInput(_("%(year)s is already covered by the built-in calendar."), year=year)
    entered = CalendarDay.objects.filter(date__year=year).count()
    if entered == 0:
        raise InvalidInput(
            _("Enter the holidays and adjusted working days of %(year)s before declaring it."),
            year=year,
        )
    declared, _created = CalendarYear.objects.update_or_create(
        year=year, defaults={"source": source, "declared_by": actor}
    )
    audit_record(
        actor=actor,
        action="calendar.year_declare",
        obj=declared,
        changes={"year": year, "source": source, "days_entered": entered},
    )
    return declared


def sla_clock_start(
    *,
    subject: models.Model,
    kind: str,
    working_days: int,
    started_at: dt.datetime | None = None,
    region: Region | None = None,
) -> SlaClock:
    """Start the clock for one obligation: due at 24:00 of the N-th working day.

    Raises CalendarNotCovered (and writes nothing) when the deadline falls in
    a year with no holiday data.
    """
    if working_days < 1:
        raise InvalidInput(_("A deadline needs at least one working day."))
    started_at = started_at or timezone.now()
    calendar = workdays.load_calendar()
    due_at = calendar.add_workdays(started_at, working_days)
    budget = calendar.working_time_between(started_at, due_at)
    at_risk_at = calendar.add_working_time(started_at, budget / 2)
    return SlaClock.objects.create(
        subject=subject,
        kind=kind,
        region=region,
        working_days=working_days,
        started_at=started_at,
        due_at=due_at,
        at_risk_at=at_risk_at,
    )


def _locked(clock: SlaClock) -> SlaClock:
    return SlaClock.objects.select_for_update(no_key=True).get(pk=clock.pk)


@transaction.atomic
def sla_clock_pause(
    *, clock: SlaClock, reason: str = "", at: dt.datetime | None = None
) -> SlaClock:
    clock = _locked(clock)
    if clock.stopped_at is not None:
        raise InvalidTransition(_("This clock has already stopped."))
    if clock.paused_at is not None:
        raise InvalidTransition(_("This clock is already paused."))
    at = at or timezone.now()
    clock.paused_at = at
    clock.save(update_fields=["paused_at"])
    SlaPause.objects.create(clock=clock, started_at=at, reason=reason)
    return clock


@transaction.atomic
def sla_clock_resume(*, clock: SlaClock, at: dt.datetime | None = None) -> SlaClock:
    """Resume a paused clock; the deadline moves back by the working time lost."""
    clock = _locked(clock)
    if clock.paused_at is None or clock.stopped_at is not None:
        raise InvalidTransition(_("Only a paused clock can be resumed."))
    at = at or timezone.now()
    if at < clock.paused_at:
        raise InvalidInput(_("A clock cannot resume before it was paused."))
    calendar = workdays.load_calendar()
    lost = calendar.working_time_between(clock.paused_at, at)
    if clock.paused_at < clock.at_risk_at:
        clock.at_risk_at = calendar.add_working_time(clock.at_risk_at, lost)
    clock.due_at = calendar.add_working_time(clock.due_at, lost)
    SlaPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)
    clock.paused_at = None
    clock.save(update_fields=["paused_at", "due_at", "at_risk_at"])
    return clock


@transaction.atomic
def sla_clock_stop(*, clock: SlaClock, at: dt.datetime | None = None) -> SlaClock:
    """Stop the clock when the obligation is fulfilled; record met or breached."""
    clock = _locked(clock)
    if clock.stopped_at is not None:
        raise InvalidTransition(_("This clock has already stopped."))
    at = at or timezone.now()
    # A paused clock stopped counting when it was paused: judge it at that instant.
    counted_until = at
    if clock.paused_at is not None:
        SlaPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at)
        counted_until = min(at, clock.paused_at)
        clock.paused_at = None
    clock.stopped_at = at
    clock.outcome = SlaOutcome.MET if counted_until <= clock.due_at else SlaOutcome.BREACHED
    clock.save(update_fields=["stopped_at", "outcome", "paused_at"])
    return clock
