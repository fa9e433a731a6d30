"""Reporting periods: a month, a quarter, a year or a custom range of days
(calendar days; nothing here counts working days)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils.translation import gettext as _

from onestop.reporting.models import PeriodKind

# A custom period longer than this is refused (the tables stay meaningful
# and the query bounded).
MAX_CUSTOM_DAYS = 5 * 366


@dataclasses.dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("%(year)s-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        if self.kind == PeriodKind.QUARTER:
            return _("Quarter %(quarter)s of %(year)s") % {
                "quarter": quarter_of(self.start),
                "year": self.start.year,
            }
        if self.kind == PeriodKind.YEAR:
            return _("Year %(year)s") % {"year": self.start.year}
        return _("%(start)s to %(end)s") % {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def month(year: int, number: int) -> Period:
    return Period(PeriodKind.MONTH, dt.date(year, number, 1), month_end(year, number))


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    return Period(PeriodKind.QUARTER, dt.date(year, first, 1), month_end(year, first + 2))


def year(number: int) -> Period:
    return Period(PeriodKind.YEAR, dt.date(number, 1, 1), dt.date(number, 12, 31))


def canonical(kind: str, start: dt.date) -> Period | None:
    """The month, quarter or year that begins on ``start`` (None if none does)."""
    if kind == PeriodKind.MONTH and start.day == 1:
        return month(start.year, start.month)
    if kind == PeriodKind.QUARTER and start.day == 1 and start.month % 3 == 1:
        return quarter(start.year, quarter_of(start))
    if kind == PeriodKind.YEAR and (start.month, start.day) == (1, 1):
        return year(start.year)
    return None


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months that start..end touches."""
    firsts = []
    current = start.replace(day=1)
    while current <= end:
        firsts.append(current)
        current = month_end(current.year, current.month) + dt.timedelta(days=1)
    return firsts


def split(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]]]:
    """start..end as whole months (their first days) and the leftover day ranges."""
    whole: list[dt.date] = []
    partial: list[tuple[dt.date, dt.date]] = []
    for first in months_between(start, end):
        last = month_end(first.year, first.month)
        if start <= first and last <= end:
            whole.append(first)
        else:
            partial.append((max(first, start), min(last, end)))
    return whole, partial
