"""The rules of the improvement plan and of the annual summary.

An improvement item (WX 8.2 b "改进跟踪复查"):

::

    planned ─start─▶ in_progress ─complete─▶ done ─recheck─▶ rechecked
                          ▲                    │
                          └──────reopen────────┘   (the re-check found it not fixed)

* Re-checking records the result and the day of the re-check; reopening
  needs a note saying what the re-check found. A re-checked item is final.
* The plan's wording (problem, measure, owner, due date; adding and
  removing items) may change until the year's summary is published; the
  moves above go on afterwards, and the public page shows them.

A summary is *final* for a year that is over and *provisional* for the
current year (the figures up to the day it was requested; it cannot be
published). Future years, and years before FIRST_YEAR, are refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.summaries.models import ItemState

S = ItemState

FIRST_YEAR = 2000
# Top N of the frequent terms and of the worst-rated lists (WX 8.1.3 analysis).
TOP_TERMS = 20
TOP_WORST = 10
# Fewer evaluations than this say nothing about an institution or a service.
MIN_SAMPLE = 5


@dataclasses.dataclass(frozen=True)
class Rule:
    action: str
    source: str
    target: str
    needs_note: bool = False


TABLE: tuple[Rule, ...] = (
    Rule("start", S.PLANNED, S.IN_PROGRESS),
    Rule("complete", S.IN_PROGRESS, S.DONE),
    Rule("recheck", S.DONE, S.RECHECKED, needs_note=True),
    Rule("reopen", S.DONE, S.IN_PROGRESS, needs_note=True),
)

ACTIONS: tuple[str, ...] = tuple(rule.action for rule in TABLE)

TRANSITIONS: dict[str, frozenset[str]] = {
    state: frozenset(rule.target for rule in TABLE if rule.source == state) for state in S
}

ACTION_LABELS: dict[str, Promise] = {
    "start": _("Start"),
    "complete": _("Mark as done"),
    "recheck": _("Record the re-check"),
    "reopen": _("Re-check failed: reopen"),
}


def rule_for(state: str, action: str) -> Rule | None:
    return next((r for r in TABLE if r.source == state and r.action == action), None)


def can_transition(state: str, action: str) -> bool:
    return rule_for(state, action) is not None


def can_start(state: str) -> bool:
    return can_transition(state, "start")


def can_complete(state: str) -> bool:
    return can_transition(state, "complete")


def can_recheck(state: str) -> bool:
    return can_transition(state, "recheck")


def can_reopen(state: str) -> bool:
    return can_transition(state, "reopen")


def actions_from(state: str) -> list[str]:
    """The moves possible from ``state``, in the table's order."""
    return [r.action for r in TABLE if r.source == state]


def can_edit_plan(*, published: bool) -> bool:
    """The plan's wording changes only until the summary is published."""
    return not published


# --- years -------------------------------------------------------------------


def year_is_final(year: int, today: dt.date) -> bool:
    """A year that is over gets a final summary; the current one a provisional one."""
    return year < today.year


def year_is_allowed(year: int, today: dt.date) -> bool:
    return FIRST_YEAR <= year <= today.year


def period(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days the summary covers: the whole year, or up to today for the current one."""
    start = dt.date(year, 1, 1)
    end = dt.date(year, 12, 31)
    return start, min(end, today)
