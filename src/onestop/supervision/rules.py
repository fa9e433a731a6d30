"""The corrective-action state machine (HM 5.1: violations found by
supervision are corrected; WX 7.4.1: the supervision rules).

::

    issued ─submit─▶ evidence_submitted ─verify─▶ verified (closed)
      ▲  │                   │
      │  │                   └─reject─▶ rejected_evidence ─submit─▶ evidence_submitted
      │  └─cancel─▶ cancelled ◀─cancel─ (any open state)

* Supervisors (Perm.SUPERVISE over the action's region) issue, verify,
  reject evidence (with a reason) and cancel (with a reason).
* The target submits evidence: the institution's people, the station's
  staff, or the staff member addressed.
* "Overdue" is a view, not a state: an open action whose due date has passed.

A move not in the table is an InvalidTransition and changes nothing.
"""

from __future__ import annotations

import dataclasses
import enum

from onestop.supervision.models import ActionStatus, CorrectiveAction

S = ActionStatus


class Who(enum.StrEnum):
    SUPERVISOR = "supervisor"
    TARGET = "target"


@dataclasses.dataclass(frozen=True)
class Rule:
    action: str
    sources: frozenset[str]
    target: str
    who: Who
    needs_note: bool = False


_OPEN = frozenset({S.ISSUED, S.EVIDENCE_SUBMITTED, S.REJECTED_EVIDENCE})

TRANSITIONS: dict[str, Rule] = {
    rule.action: rule
    for rule in (
        Rule(
            "submit", frozenset({S.ISSUED, S.REJECTED_EVIDENCE}), S.EVIDENCE_SUBMITTED, Who.TARGET
        ),
        Rule("verify", frozenset({S.EVIDENCE_SUBMITTED}), S.VERIFIED, Who.SUPERVISOR),
        Rule(
            "reject",
            frozenset({S.EVIDENCE_SUBMITTED}),
            S.REJECTED_EVIDENCE,
            Who.SUPERVISOR,
            needs_note=True,
        ),
        Rule("cancel", _OPEN, S.CANCELLED, Who.SUPERVISOR, needs_note=True),
    )
}


def allowed(action: CorrectiveAction, name: str) -> bool:
    return action.status in TRANSITIONS[name].sources


def can_submit(action: CorrectiveAction) -> bool:
    return allowed(action, "submit")


def can_verify(action: CorrectiveAction) -> bool:
    return allowed(action, "verify")


def can_reject(action: CorrectiveAction) -> bool:
    return allowed(action, "reject")


def can_cancel(action: CorrectiveAction) -> bool:
    return allowed(action, "cancel")
