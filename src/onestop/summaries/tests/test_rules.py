"""The improvement item's state table and the year rules (WX 8.2 b, WX 8.1.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.summaries import rules
from onestop.summaries.models import ItemState

S = ItemState


@pytest.mark.clause("WX 8.2")
def test_the_state_table_is_planned_in_progress_done_rechecked_with_reopen():
    expected = {
        S.PLANNED: frozenset({S.IN_PROGRESS}),
        S.IN_PROGRESS: frozenset({S.DONE}),
        S.DONE: frozenset({S.RECHECKED, S.IN_PROGRESS}),
        S.RECHECKED: frozenset(),
    }
    table = dict(rules.TRANSITIONS)
    assert table == expected
    assert rules.actions_from(S.DONE) == ["recheck", "reopen"]
    assert rules.actions_from(S.RECHECKED) == []


@pytest.mark.clause("WX 8.2")
@pytest.mark.parametrize(
    ("predicate", "allowed"),
    [
        (rules.can_start, {S.PLANNED}),
        (rules.can_complete, {S.IN_PROGRESS}),
        (rules.can_recheck, {S.DONE}),
        (rules.can_reopen, {S.DONE}),
    ],
)
def test_each_move_is_allowed_from_its_one_state_only(predicate, allowed):
    assert {state for state in S if predicate(state)} == allowed


def test_rechecking_and_reopening_need_a_note_the_others_do_not():
    assert {rule.action for rule in rules.TABLE if rule.needs_note} == {"recheck", "reopen"}


def test_the_plan_can_be_edited_only_until_published():
    assert rules.can_edit_plan(published=False)
    assert not rules.can_edit_plan(published=True)


@pytest.mark.clause("WX 8.1.3")
def test_a_past_year_is_final_the_current_one_provisional_a_future_one_refused():
    today = dt.date(2026, 11, 18)
    assert rules.year_is_final(2025, today)
    assert not rules.year_is_final(2026, today)
    assert rules.year_is_allowed(2026, today)
    assert not rules.year_is_allowed(2027, today)
    assert not rules.year_is_allowed(rules.FIRST_YEAR - 1, today)


def test_the_period_is_the_whole_year_or_up_to_today():
    today = dt.date(2026, 11, 18)
    assert rules.period(2025, today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert rules.period(2026, today) == (dt.date(2026, 1, 1), today)
