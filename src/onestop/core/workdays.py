"""The working-day calendar: the one place that does date arithmetic on
Chinese working days (SPEC §4).

A day is a working day by China's official calendar: weekends and statutory
holidays are rest days, and the adjusted weekends (调休) are working days. The
data comes from ``chinese-calendar`` for the years it covers, and from
``CalendarDay`` rows that administrators enter from the State Council's
notice; those rows override the library. A year the library lacks is usable
once an administrator has declared it (``CalendarYear``), which says "every
holiday and adjusted working day of this year is entered"; until then any
computation that touches it raises ``CalendarNotCovered``.

All instants are interpreted in Asia/Shanghai. A deadline of N working days
after an event on day D ends at 24:00 of the N-th working day after D, which
is returned as 00:00 of the following calendar day.

``Calendar`` is a pure value (no database), so the arithmetic can be tested by
properties; ``load_calendar()`` builds one from the database, and the module
functions below are what the rest of the platform calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo

import chinese_calendar
from chinese_calendar import constants as _cc
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError

TZ = ZoneInfo("Asia/Shanghai")
ONE_DAY = dt.timedelta(days=1)
# Beyond this many days a walk is certainly a bug (a 3-working-day clock never
# needs it); it bounds loops over bad input.
_MAX_WALK_DAYS = 3660


class CalendarNotCovered(DomainError):
    code = "calendar_not_covered"
    status = 409
    default_message = _(
        "The holiday schedule for %(year)s has not been entered into the working-day "
        "calendar, so this deadline cannot be computed. A system administrator can enter "
        "it under Workbench › Working-day calendar."
    )

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(year=year)


@cache
def library_years() -> frozenset[int]:
    """Years chinese-calendar has data for (2004–2026 in version 1.11)."""
    years = {day.year for day in _cc.holidays} | {day.year for day in _cc.workdays}
    return frozenset(range(min(years), max(years) + 1))


def _library_is_workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True)
class Calendar:
    """Working days as data: overrides and declared years on top of the library."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    declared_years: frozenset[int] = frozenset()

    def is_covered(self, year: int) -> bool:
        return year in library_years() or year in self.declared_years

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if not self.is_covered(day.year):
            raise CalendarNotCovered(day.year)
        if day.year in library_years():
            return _library_is_workday(day)
        return day.weekday() < 5

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        for _step in range(_MAX_WALK_DAYS):
            day += ONE_DAY
            if self.is_workday(day):
                return day
        raise ValueError("no working day within ten years")  # pragma: no cover

    def previous_workday(self, day: dt.date) -> dt.date:
        """The last working day strictly before ``day``."""
        for _step in range(_MAX_WALK_DAYS):
            day -= ONE_DAY
            if self.is_workday(day):
                return day
        raise ValueError("no working day within ten years")  # pragma: no cover

    def add_workdays(self, start: dt.datetime, n: int) -> dt.datetime:
        """Deadline of ``n`` working days after the event at ``start``.

        The N-th working day after the local date of ``start``, ending at
        24:00 (returned as 00:00 of the next day). ``n == 0`` means the end
        of the event's own day.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        day = local_date(start)
        for _step in range(n):
            day = self.next_workday(day)
        return end_of_day(day)

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days d satisfy start < d <= end (0 if end <= start)."""
        if end <= start:
            return 0
        if (end - start).days > _MAX_WALK_DAYS:
            raise ValueError("span longer than ten years")
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            count += self.is_workday(day)
        return count

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The part of [start, end) that falls on working days."""
        _require_aware(start, end)
        if end <= start:
            return dt.timedelta(0)
        start, end = start.astimezone(TZ), end.astimezone(TZ)
        if (end - start).days > _MAX_WALK_DAYS:
            raise ValueError("span longer than ten years")
        total = dt.timedelta(0)
        day = start.date()
        while True:
            day_start = max(start, start_of_day(day))
            day_end = min(end, end_of_day(day))
            if day_end > day_start and self.is_workday(day):
                total += day_end - day_start
            if end_of_day(day) >= end:
                return total
            day += ONE_DAY

    def add_working_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The earliest instant t with working_time_between(start, t) == amount.

        Used to push a deadline back by the working time a clock was paused.
        """
        _require_aware(start)
        if amount < dt.timedelta(0):
            raise ValueError("amount must not be negative")
        current = start.astimezone(TZ)
        remaining = amount
        for _step in range(_MAX_WALK_DAYS):
            if remaining == dt.timedelta(0):
                return current
            day = current.date()
            day_end = end_of_day(day)
            if self.is_workday(day):
                available = day_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
            current = day_end
        raise ValueError("amount longer than ten years")  # pragma: no cover


def local_date(instant: dt.datetime) -> dt.date:
    _require_aware(instant)
    return instant.astimezone(TZ).date()


def _require_aware(*instants: dt.datetime) -> None:
    # astimezone() would read a naive datetime in the server's zone, not Shanghai.
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("naive datetime: the calendar needs aware instants")


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=TZ)


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in Asia/Shanghai (that is, 00:00 of the next day)."""
    return start_of_day(day + ONE_DAY)


def load_calendar(years: Iterable[int] | None = None) -> Calendar:
    """Build a Calendar from the administrators' rows (all of them, or some years)."""
    from onestop.core.models import CalendarDay, CalendarYear

    days = CalendarDay.objects.all()
    declared = CalendarYear.objects.all()
    if years is not None:
        wanted = sorted(set(years))
        days = days.filter(date__year__in=wanted)
        declared = declared.filter(year__in=wanted)
    return Calendar(
        overrides=dict(days.values_list("date", "is_workday")),
        declared_years=frozenset(declared.values_list("year", flat=True)),
    )


# The module-level API: each call reads the current rows, so an administrator's
# change takes effect at once in every process. Two small queries a call; SLA
# arithmetic runs on state changes, not on page views.


def is_workday(day: dt.date) -> bool:
    return load_calendar().is_workday(day)


def is_covered(year: int) -> bool:
    return load_calendar([year]).is_covered(year)


def add_workdays(start: dt.datetime, n: int) -> dt.datetime:
    return load_calendar().add_workdays(start, n)


def workdays_between(start: dt.date, end: dt.date) -> int:
    return load_calendar().workdays_between(start, end)


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    return load_calendar().working_time_between(start, end)


def add_working_time(start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
    return load_calendar().add_working_time(start, amount)


def missing_next_year(today: dt.date) -> int | None:
    """From 1 November, next year if its schedule is not yet available.

    The State Council publishes the next year's schedule late in the year;
    the workbench warns from November so administrators enter it in time.
    """
    if today.month < 11:
        return None
    year = today.year + 1
    return None if is_covered(year) else year
