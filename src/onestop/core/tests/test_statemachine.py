"""The rule table workflows write their state machine as: which row lets whom
move where, on which side one person acts, derived actions and transitions.

A small made-up workflow (a repair ticket) stands in for orders and
complaints, whose own tables are tested in their apps.
"""

from __future__ import annotations

import pytest

from onestop.core.statemachine import Rule, RuleTable, rule

OPEN, FIXED, CLOSED, DROPPED = "open", "fixed", "closed", "dropped"
OWNER, TECHNICIAN, DESK = "owner", "technician", "desk"


def _table() -> RuleTable:
    return RuleTable(
        (
            rule("fix", [OPEN], FIXED, [TECHNICIAN]),
            rule("drop", [OPEN], DROPPED, [OWNER]),
            # The desk drops a ticket only with a reason, and a fixed one too.
            rule("drop", [OPEN, FIXED], DROPPED, [DESK], needs_note=True),
            rule("close", [FIXED], CLOSED, [OWNER, DESK]),
            rule("reopen", [FIXED, CLOSED], OPEN, [OWNER], needs_note=True),
        ),
        statuses=[OPEN, FIXED, CLOSED, DROPPED],
        precedence=[OWNER, TECHNICIAN, DESK],
    )


def test_a_row_is_frozen_and_compares_by_value():
    # given a row written with lists
    row = rule("fix", [OPEN], FIXED, [TECHNICIAN])
    # then it holds sets, needs no note by default, and cannot be changed
    assert row == Rule("fix", frozenset({OPEN}), FIXED, frozenset({TECHNICIAN}), False)
    with pytest.raises(AttributeError):
        row.target = CLOSED


def test_actions_are_listed_once_in_table_order():
    assert _table().actions == ("fix", "drop", "close", "reopen")


def test_transitions_are_derived_for_every_status():
    assert _table().transitions == {
        OPEN: frozenset({FIXED, DROPPED}),
        FIXED: frozenset({DROPPED, CLOSED, OPEN}),
        CLOSED: frozenset({OPEN}),
        DROPPED: frozenset(),
    }


def test_rules_for_gives_every_row_of_an_action():
    table = _table()
    assert [r.parties for r in table.rules_for("drop")] == [{OWNER}, {DESK}]
    assert table.rules_for("paint") == ()


def test_can_transition_asks_whether_anyone_may():
    table = _table()
    assert table.can_transition(FIXED, "drop")  # the desk may
    assert not table.can_transition(CLOSED, "drop")
    assert not table.can_transition(OPEN, "paint")


def test_rule_for_finds_the_row_of_the_party_who_may():
    table = _table()
    # the owner drops an open ticket without a note, the desk only with one
    assert table.rule_for(OPEN, "drop", [OWNER]).needs_note is False
    assert table.rule_for(OPEN, "drop", [DESK]).needs_note is True
    # nobody but the desk drops a fixed ticket, and nobody a closed one
    assert table.rule_for(FIXED, "drop", [OWNER, TECHNICIAN]) is None
    assert table.rule_for(CLOSED, "drop", [OWNER, TECHNICIAN, DESK]) is None


def test_one_person_on_two_sides_acts_on_the_first_in_precedence():
    # given someone who is both the owner and on the desk
    table = _table()
    both = {DESK, OWNER}
    # when they drop an open ticket, they do it as the owner (no note needed)
    row = table.rule_for(OPEN, "drop", both)
    assert row is not None
    assert row.parties == {OWNER}
    assert table.party_for(row, both) == OWNER
    # and a fixed one as the desk, the only side that may
    row = table.rule_for(FIXED, "drop", both)
    assert row is not None
    assert table.party_for(row, both) == DESK
    # a row several sides share is done on the first of them
    close = table.rule_for(FIXED, "close", both)
    assert close is not None
    assert table.party_for(close, both) == OWNER


def test_may_ever_asks_whether_a_party_appears_in_any_row_of_the_action():
    table = _table()
    assert table.may_ever("drop", [DESK])
    assert table.may_ever("drop", iter([TECHNICIAN, OWNER]))
    assert not table.may_ever("fix", [OWNER, DESK])
    assert not table.may_ever("paint", [OWNER])


def test_allowed_lists_the_moves_now_with_their_side_in_table_order():
    table = _table()
    assert [(r.action, party) for r, party in table.allowed(FIXED, [OWNER, DESK])] == [
        ("drop", DESK),
        ("close", OWNER),
        ("reopen", OWNER),
    ]
    assert [(r.action, party) for r, party in table.allowed(OPEN, [TECHNICIAN])] == [
        ("fix", TECHNICIAN)
    ]
    assert table.allowed(DROPPED, [OWNER, TECHNICIAN, DESK]) == []
    assert table.allowed(OPEN, []) == []


def test_a_party_without_a_place_in_the_precedence_is_refused():
    # a party missing from the precedence could never act: a mistake in the table
    with pytest.raises(ValueError, match="technician"):
        RuleTable(
            [rule("fix", [OPEN], FIXED, [TECHNICIAN])],
            statuses=[OPEN, FIXED],
            precedence=[OWNER],
        )
