"""The state machine as a table (onestop.orders.rules)."""

from __future__ import annotations

import pytest

from onestop.orders import rules
from onestop.orders.models import OrderStatus as S
from onestop.orders.models import Party as P


@pytest.mark.clause("WX A")
@pytest.mark.clause("HM 4.3.4.1")
def test_the_table_has_exactly_the_moves_of_the_issue():
    assert {
        S.SUBMITTED: {S.ACCEPTED, S.DECLINED, S.CANCELLED},
        S.ACCEPTED: {S.IN_SERVICE, S.CANCELLED},
        S.IN_SERVICE: {S.WAITING_USER, S.DELIVERED},
        S.WAITING_USER: {S.IN_SERVICE},
        S.DELIVERED: {S.COMPLETED, S.IN_SERVICE},
        S.DECLINED: set(),
        S.CANCELLED: set(),
        S.COMPLETED: set(),
    } == rules.TRANSITIONS


def test_who_may_do_what_from_each_status():
    def moves(status, *parties):
        return [rule.action for rule in rules.allowed_actions(status, parties)]

    assert moves(S.SUBMITTED, P.INSTITUTION) == ["accept", "decline"]
    assert moves(S.SUBMITTED, P.USER) == ["cancel"]
    assert moves(S.ACCEPTED, P.INSTITUTION) == ["cancel", "start"]
    assert moves(S.ACCEPTED, P.USER) == ["cancel"]
    assert moves(S.IN_SERVICE, P.USER) == []
    assert moves(S.IN_SERVICE, P.INSTITUTION) == ["wait", "deliver"]
    assert moves(S.WAITING_USER, P.USER) == ["resume"]
    assert moves(S.DELIVERED, P.USER) == ["complete", "rework"]
    assert moves(S.DELIVERED, P.PROXY) == ["complete", "rework"]
    assert moves(S.DELIVERED, P.INSTITUTION) == []
    assert moves(S.SUBMITTED, P.CENTER) == ["cancel"]
    assert moves(S.IN_SERVICE, P.CENTER) == []
    # Overseeing staff read and write messages; they move nothing.
    for status in S:
        assert moves(status, P.STAFF) == []
    for status in rules.CLOSED_STATUSES:
        assert moves(status, *P) == []


def test_reasons_are_required_where_someone_must_be_told_why():
    def needs(action, status, party):
        rule = rules.rule_for(status, action, [party])
        assert rule is not None
        return rule.needs_note

    assert needs("decline", S.SUBMITTED, P.INSTITUTION)
    assert needs("cancel", S.ACCEPTED, P.INSTITUTION)
    assert needs("cancel", S.SUBMITTED, P.CENTER)
    assert not needs("cancel", S.SUBMITTED, P.USER)
    assert needs("rework", S.DELIVERED, P.USER)
    assert needs("wait", S.IN_SERVICE, P.INSTITUTION)
    assert not needs("accept", S.SUBMITTED, P.INSTITUTION)


def test_one_person_on_two_sides_acts_on_the_first_that_may():
    rule = rules.rule_for(S.ACCEPTED, "cancel", [P.INSTITUTION, P.USER])
    assert rule is not None
    assert rules.party_for(rule, [P.INSTITUTION, P.USER]) == P.USER
    assert not rule.needs_note
