"""Reads of SLA clocks, scoped by the caller's regions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core import workdays
from onestop.core.models import CalendarDay, CalendarYear, SlaClock


def _visible(user: User) -> QuerySet[SlaClock]:
    scope = authz.region_scope(user, authz.Perm.SLA_VIEW)
    return scope.filter(SlaClock.objects.select_related("subject_type", "region"), "region")


def sla_clocks_at_risk(*, user: User, now: dt.datetime | None = None) -> QuerySet[SlaClock]:
    """Running clocks past the half-way mark but not yet due."""
    now = now or timezone.now()
    return (
        _visible(user)
        .filter(stopped_at__isnull=True, paused_at__isnull=True)
        .filter(at_risk_at__lte=now, due_at__gt=now)
        .order_by("due_at")
    )


def sla_clocks_breached(*, user: User, now: dt.datetime | None = None) -> QuerySet[SlaClock]:
    """Running clocks whose deadline has passed."""
    now = now or timezone.now()
    return (
        _visible(user)
        .filter(stopped_at__isnull=True, paused_at__isnull=True, due_at__lte=now)
        .order_by("due_at")
    )


def sla_clocks_for(*, subject_type_id: int, subject_id: str) -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(
        subject_type_id=subject_type_id, subject_id=str(subject_id)
    ).order_by("started_at")


@dataclass(frozen=True)
class CalendarYearView:
    year: int
    covered: bool
    builtin: bool
    declared: CalendarYear | None
    days: list[CalendarDay]


def calendar_year_view(*, year: int) -> CalendarYearView:
    """What the calendar page shows for one year: coverage and the entered days."""
    return CalendarYearView(
        year=year,
        covered=workdays.is_covered(year),
        builtin=year in workdays.library_years(),
        declared=CalendarYear.objects.filter(year=year).first(),
        days=list(CalendarDay.objects.filter(date__year=year).order_by("date")),
    )
