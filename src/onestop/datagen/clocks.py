"""SLA clock rows for generated subjects, with due and at-risk times from the
one working-day calendar (onestop.core.workdays), as sla_clock_start computes
them, and the outcome of a clock stopped at a given time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onestop.core import workdays
from onestop.core.models import SlaClock, SlaOutcome
from onestop.datagen.context import Context


class Clocks:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.calendar: Any = workdays.load_calendar()
        self._due: dict[tuple[dt.date, int], dt.datetime] = {}

    def times(self, started: dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
        key = (workdays.local_date(started), days)
        due = self._due.get(key)
        try:
            if due is None:
                due = self._due[key] = self.calendar.add_workdays(started, days)
            budget = self.calendar.working_time_between(started, due)
            return due, self.calendar.add_working_time(started, budget / 2)
        except workdays.CalendarNotCovered:
            # Past the calendar's last declared year (the platform would
            # refuse to start such a clock): a week per five days, roughly.
            due = started + dt.timedelta(days=days * 7 / 5 + 1)
            return due, started + (due - started) / 2

    def add(
        self,
        *,
        subject_type: int,
        subject_id: int,
        kind: str,
        region_id: int,
        days: int,
        started: dt.datetime,
        stopped: dt.datetime | None,
    ) -> None:
        due, at_risk = self.times(started, days)
        outcome = ""
        if stopped is not None:
            outcome = SlaOutcome.MET if stopped <= due else SlaOutcome.BREACHED
        self.ctx.tables[SlaClock].add(
            subject_type_id=subject_type,
            subject_id=str(subject_id),
            kind=kind,
            region_id=region_id,
            working_days=days,
            started_at=started,
            due_at=due,
            at_risk_at=at_risk,
            stopped_at=stopped,
            outcome=outcome,
        )
