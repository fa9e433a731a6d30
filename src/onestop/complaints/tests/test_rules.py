"""The state table of complaints (GB/T 19012 stages, HM 5.6; WX 7.4.3)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from onestop.complaints import rules
from onestop.complaints.models import Channel, ComplaintStatus, Target

S = ComplaintStatus
P = rules.Party
NOW = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)


def _complaint(**fields):
    values = {
        "status": S.RECEIVED,
        "target": Target.INSTITUTION,
        "channel": Channel.ONLINE,
        "closed_at": None,
    }
    values.update(fields)
    return SimpleNamespace(**values)


@pytest.mark.clause("HM 5.6", "WX 7.4.3")
def test_the_table_moves_complaints_exactly_as_the_stages_say():
    expected = {
        S.RECEIVED: {S.INVESTIGATING, S.NOT_ACCEPTED, S.WITHDRAWN},
        S.INVESTIGATING: {S.FORWARDED, S.CONCLUDED, S.WITHDRAWN},
        S.FORWARDED: {S.RESPONDED, S.CONCLUDED},
        S.RESPONDED: {S.CONCLUDED},
        S.CONCLUDED: {S.FED_BACK},
        S.FED_BACK: {S.CLOSED},
        S.CLOSED: {S.INVESTIGATING},
        S.NOT_ACCEPTED: set(),
        S.WITHDRAWN: set(),
    }
    assert expected == rules.TRANSITIONS


@pytest.mark.clause("HM 5.6")
def test_each_side_makes_only_its_own_moves():
    # Given each side on a complaint in each state
    # Then the center moves the investigation, the institution only responds,
    # the complainant withdraws, closes and reopens.
    assert rules.rule_for(S.RECEIVED, "acknowledge", {P.COMPLAINANT}) is None
    assert rules.rule_for(S.RECEIVED, "acknowledge", {P.CENTER}) is not None
    assert rules.rule_for(S.FORWARDED, "respond", {P.CENTER}) is None
    assert rules.rule_for(S.FORWARDED, "respond", {P.INSTITUTION}) is not None
    assert rules.rule_for(S.FED_BACK, "close", {P.CENTER}) is None
    assert rules.rule_for(S.FED_BACK, "close", {P.PROXY}).needs_note  # what was said on the call
    assert not rules.rule_for(S.FED_BACK, "close", {P.COMPLAINANT}).needs_note
    assert rules.rule_for(S.INVESTIGATING, "withdraw", {P.COMPLAINANT}) is not None
    assert rules.rule_for(S.FORWARDED, "withdraw", {P.COMPLAINANT}) is None


@pytest.mark.clause("WX 7.4.3")
def test_only_a_complaint_about_an_institution_is_forwarded():
    about_station = _complaint(status=S.INVESTIGATING, target=Target.STATION)
    about_institution = _complaint(status=S.INVESTIGATING)
    assert not rules.can_forward(about_station)
    assert rules.can_forward(about_institution)
    assert [r.action for r, _p in rules.allowed_actions(about_station, {P.CENTER}, now=NOW)] == [
        "conclude"
    ]
    assert [
        r.action for r, _p in rules.allowed_actions(about_institution, {P.CENTER}, now=NOW)
    ] == ["forward", "conclude"]


@pytest.mark.clause("HM 5.6")
def test_reopening_is_possible_for_30_days_after_closing():
    closed = _complaint(status=S.CLOSED, closed_at=NOW - dt.timedelta(days=30))
    assert rules.can_reopen(closed, now=NOW)
    assert not rules.can_reopen(closed, now=NOW + dt.timedelta(seconds=1))
    assert not rules.can_reopen(_complaint(status=S.FED_BACK), now=NOW)


def test_offline_complaints_let_the_center_act_for_the_complainant():
    assert rules.is_offline(_complaint(channel=Channel.PHONE))
    assert not rules.is_offline(_complaint(channel=Channel.ONLINE))


def test_every_action_has_labels_for_its_forms():
    assert set(rules.ACTIONS) == set(rules.ACTION_LABELS) == set(rules.NOTE_LABELS)
