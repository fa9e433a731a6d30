"""The complaint state machine: one table of who may move a complaint where.

The stages of GB/T 19012 (HM 5.6) — receipt, tracking, acknowledgement,
initial assessment, investigation, response, communicating the decision,
closing — as moves between ComplaintStatus values::

    received ─acknowledge─▶ investigating ─forward─▶ forwarded ─respond─▶ responded
       │  │                   │   ▲  │                                     │
       │  └─not_accept─▶ not_accepted │  └─conclude─▶ concluded ◀─conclude───┘
       │                      │   │                    │
       └──withdraw──▶ withdrawn ◀─┘ reopen          feed_back
                                  │                    ▼
                               closed ◀───close─── fed_back

The rules (WX 7.4.2, WX 7.4.3, LZ 6.5.3):

* The service center (Perm.COMPLAINT_HANDLE over the complaint's region)
  acknowledges a received complaint — the complainant is told it was
  accepted, with its number — or does not accept it, with the reason the
  complainant reads (outside the platform's remit, …).
* The investigation ends within 7 working days of receipt (the
  INVESTIGATION_CLOCK): by forwarding the complaint to the institution
  complained about (institution targets only), or by the center's own
  conclusion (station or platform targets, or when the center settles it
  directly).
* The institution answers what was forwarded to it; the center then
  concludes (upheld or not) and feeds the outcome back to the complainant.
  If the institution does not answer, the center concludes without it.
* The complainant closes the complaint with their satisfaction. For a
  complaint received offline (phone, station, letter) the center may close
  it after calling the complainant back, recording what they said.
* The complainant may reopen a closed complaint within 30 days of closing,
  with a reason (so may the center for an offline complaint): the
  investigation starts again on a new 7-working-day clock.
* The complainant may withdraw the complaint until it is forwarded or
  concluded.
* Nobody else moves a complaint. A move not in the table is an
  InvalidTransition and changes nothing.

Every move writes a ComplaintEvent (actor, time, from, to, note), an audit
row, and notices (onestop.complaints.services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.complaints.models import (
    REOPEN_DAYS,
    Channel,
    ComplaintStatus,
    Target,
)

# Re-exported: services, selectors and forms name it rules.Rule.
from onestop.core.statemachine import Rule as Rule
from onestop.core.statemachine import RuleTable
from onestop.core.statemachine import rule as _rule

if TYPE_CHECKING:
    from onestop.complaints.models import Complaint

S = ComplaintStatus

NOTE_MAX = 2000
NAME_MAX = 50


class Party:
    """On which side of a complaint someone acts."""

    COMPLAINANT = "complainant"
    CENTER = "center"
    # The center acting for a complainant who complained offline (a callback).
    PROXY = "proxy"
    INSTITUTION = "institution"


PARTY_LABELS: dict[str, Promise] = {
    Party.COMPLAINANT: _("Complainant"),
    Party.CENTER: _("Service center"),
    Party.PROXY: _("Service center, for the complainant"),
    Party.INSTITUTION: _("Institution"),
}


P = Party

# The whole state machine. A note is required where a rule says so (a
# reason, a response, a conclusion, feedback).
TABLE: tuple[Rule, ...] = (
    _rule("acknowledge", [S.RECEIVED], S.INVESTIGATING, [P.CENTER]),
    _rule("not_accept", [S.RECEIVED], S.NOT_ACCEPTED, [P.CENTER], needs_note=True),
    _rule("forward", [S.INVESTIGATING], S.FORWARDED, [P.CENTER]),
    _rule("respond", [S.FORWARDED], S.RESPONDED, [P.INSTITUTION], needs_note=True),
    # From "forwarded" too: an institution that never answers cannot hold the
    # complaint up; the conclusion then says it did not respond.
    _rule(
        "conclude",
        [S.INVESTIGATING, S.FORWARDED, S.RESPONDED],
        S.CONCLUDED,
        [P.CENTER],
        needs_note=True,
    ),
    _rule("feed_back", [S.CONCLUDED], S.FED_BACK, [P.CENTER], needs_note=True),
    _rule("close", [S.FED_BACK], S.CLOSED, [P.COMPLAINANT]),
    _rule("close", [S.FED_BACK], S.CLOSED, [P.PROXY], needs_note=True),
    _rule("reopen", [S.CLOSED], S.INVESTIGATING, [P.COMPLAINANT, P.PROXY], needs_note=True),
    _rule("withdraw", [S.RECEIVED, S.INVESTIGATING], S.WITHDRAWN, [P.COMPLAINANT]),
)

# Who acts first when one person stands on several sides.
MACHINE = RuleTable(TABLE, statuses=S, precedence=(P.COMPLAINANT, P.INSTITUTION, P.PROXY, P.CENTER))

ACTIONS: tuple[str, ...] = MACHINE.actions

# From each status, where a complaint may go (derived; for docs and tests).
TRANSITIONS: dict[str, frozenset[str]] = MACHINE.transitions

DONE_STATUSES = frozenset({S.CLOSED, S.NOT_ACCEPTED, S.WITHDRAWN})
OPEN_STATUSES = tuple(status for status in S if status not in DONE_STATUSES)
# Statuses in which the institution has (had) the complaint in hand.
INSTITUTION_STATUSES = frozenset({S.FORWARDED, S.RESPONDED, S.CONCLUDED, S.FED_BACK, S.CLOSED})

ACTION_LABELS: dict[str, Promise] = {
    "acknowledge": _("Accept the complaint"),
    "not_accept": _("Do not accept the complaint"),
    "forward": _("Forward to the institution"),
    "respond": _("Send the response"),
    "conclude": _("Record the conclusion"),
    "feed_back": _("Send the outcome to the complainant"),
    "close": _("Close the complaint"),
    "reopen": _("Reopen the complaint"),
    "withdraw": _("Withdraw the complaint"),
}

# What the note field is called for each action (and each side, where it differs).
NOTE_LABELS: dict[str, Promise] = {
    "acknowledge": _("Note to the complainant (optional)"),
    "not_accept": _("Reason for not accepting"),
    "forward": _("Instructions to the institution (optional)"),
    "respond": _("The institution's response"),
    "conclude": _("Conclusion of the investigation"),
    "feed_back": _("Outcome told to the complainant"),
    "close": _("Comments (optional)"),
    "reopen": _("Why the complaint is reopened"),
    "withdraw": _("Reason for withdrawing (optional)"),
}
PROXY_NOTE_LABELS: dict[str, Promise] = {
    "close": _("What the complainant said on the callback"),
    "reopen": _("Why the complainant wants it reopened"),
}

# The questions asked of the table (onestop.core.statemachine).
rules_for = MACHINE.rules_for
can_transition = MACHINE.can_transition
rule_for = MACHINE.rule_for
party_for = MACHINE.party_for
may_ever = MACHINE.may_ever


def note_label(rule: Rule, party: str) -> Promise:
    if party == P.PROXY and rule.action in PROXY_NOTE_LABELS:
        return PROXY_NOTE_LABELS[rule.action]
    return NOTE_LABELS[rule.action]


# --- conditions beyond the table ---------------------------------------------------------


def is_offline(complaint: Complaint) -> bool:
    """Received by phone, at a station or by letter (the center may act for the complainant)."""
    return complaint.channel != Channel.ONLINE


def reopen_until(complaint: Complaint) -> dt.datetime | None:
    if complaint.closed_at is None:
        return None
    return complaint.closed_at + dt.timedelta(days=REOPEN_DAYS)


def can_acknowledge(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "acknowledge")


def can_not_accept(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "not_accept")


def can_forward(complaint: Complaint) -> bool:
    """Only a complaint about an institution goes to an institution."""
    return can_transition(complaint.status, "forward") and complaint.target == Target.INSTITUTION


def can_respond(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "respond")


def can_conclude(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "conclude")


def can_feed_back(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "feed_back")


def can_close(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "close")


def can_reopen(complaint: Complaint, *, now: dt.datetime) -> bool:
    """Within 30 days of closing."""
    until = reopen_until(complaint)
    return can_transition(complaint.status, "reopen") and until is not None and now <= until


def can_withdraw(complaint: Complaint) -> bool:
    return can_transition(complaint.status, "withdraw")


def condition_holds(action: str, complaint: Complaint, party: str, *, now: dt.datetime) -> bool:
    """The conditions of a move that the table's rows do not express."""
    if action == "forward":
        return can_forward(complaint)
    if action == "reopen":
        return can_reopen(complaint, now=now)
    return True


def allowed_actions(
    complaint: Complaint, parties: Iterable[str], *, now: dt.datetime
) -> list[tuple[Rule, str]]:
    """The moves ``parties`` may make now, in table order, with the side each
    is made on (the page's forms)."""
    return [
        (rule, party)
        for rule, party in MACHINE.allowed(complaint.status, parties)
        if condition_holds(rule.action, complaint, party, now=now)
    ]


def is_done(status: str) -> bool:
    return status in DONE_STATUSES
