"""The order state machine: one table of who may move an order where.

::

    submitted ─accept─▶ accepted ─start─▶ in_service ─deliver─▶ delivered ─complete─▶ completed
     │     │               │               │     ▲                 │
     │     └─decline─▶ declined            wait  resume            └─rework─▶ in_service
     └─cancel─▶ cancelled ◀─cancel─┘        ▼     │
                                         waiting_user

The rules (WX App. A "服务响应 → 服务反馈", WX 7.2.2.2.1, HM 4.3.4.1):

* The institution accepts or declines a submitted order within 1 working
  day (the ACCEPTANCE_CLOCK runs from placement until one of accept,
  decline or cancel). Declining needs a reason the user reads.
* The user may cancel while the institution has not started the work
  (submitted or accepted), with or without a reason. Once the work has
  started, cancelling is a matter for the service center, not a button.
* The institution may not walk away from an accepted order silently: it may
  cancel an accepted order only with a reason (before accepting it
  declines instead).
* While in service the institution may wait for the user (samples,
  documents, a payment) — stating what it needs; the institution, or the
  user once they have supplied it, resumes. Waiting pauses no clock: the
  acceptance clock has stopped by then and the expected completion date is
  a promise to the user, not an SLA.
* The institution delivers only with a report attached (HM 4.3.4.1: the
  result is published with the progress). The user confirms completion,
  or sends the order back to service with a reason (rework).
* Proxy handling (WX 5.3 b, HM 4.2.5.2): once a station or the center
  handles an order on the user's behalf (``Order.proxy_station``), their
  staff who handle fieldwork in the order's region may do what the user
  may do, each step recorded as theirs.
* Supervision (WX App. A "服务质量监督"): service-center staff over the
  order's region may cancel an order that has not started, with a reason
  (an institution that stopped answering, a dispute the center settled).
* Nobody else moves an order. A move not in the table is an
  InvalidTransition and changes nothing.

Every move writes an OrderEvent (actor, time, from, to, note, on whose
side), an audit row, and notifies the other side (onestop.orders.services).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Re-exported: services, selectors and forms name it rules.Rule.
from onestop.core.statemachine import Rule as Rule
from onestop.core.statemachine import RuleTable
from onestop.core.statemachine import rule as _rule
from onestop.orders.models import OrderStatus, Party

S = OrderStatus
P = Party

# Acceptance is due within this many working days of placement (WX 7.2.2.2.1).
ACCEPTANCE_WORKING_DAYS = 1
NOTE_MAX = 1000
MESSAGE_MAX = 2000
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 2000
CONTACT_MAX = 50

CLOSED_STATUSES = frozenset({S.DECLINED, S.CANCELLED, S.COMPLETED})


# The whole state machine. An action may have several rows when who may do
# it depends on the state (the institution cancels only what it accepted).
# A note is required where a rule says so (a reason, or what the user must
# supply).
TABLE: tuple[Rule, ...] = (
    _rule("accept", [S.SUBMITTED], S.ACCEPTED, [P.INSTITUTION]),
    _rule("decline", [S.SUBMITTED], S.DECLINED, [P.INSTITUTION], needs_note=True),
    _rule("cancel", [S.SUBMITTED, S.ACCEPTED], S.CANCELLED, [P.USER, P.PROXY]),
    _rule("cancel", [S.ACCEPTED], S.CANCELLED, [P.INSTITUTION], needs_note=True),
    _rule("cancel", [S.SUBMITTED, S.ACCEPTED], S.CANCELLED, [P.CENTER], needs_note=True),
    _rule("start", [S.ACCEPTED], S.IN_SERVICE, [P.INSTITUTION]),
    _rule("wait", [S.IN_SERVICE], S.WAITING_USER, [P.INSTITUTION], needs_note=True),
    _rule("resume", [S.WAITING_USER], S.IN_SERVICE, [P.INSTITUTION, P.USER, P.PROXY]),
    _rule("deliver", [S.IN_SERVICE], S.DELIVERED, [P.INSTITUTION]),
    _rule("complete", [S.DELIVERED], S.COMPLETED, [P.USER, P.PROXY]),
    _rule("rework", [S.DELIVERED], S.IN_SERVICE, [P.USER, P.PROXY], needs_note=True),
)

# Who acts first when one person stands on several sides (an institution
# person who ordered from their own institution cannot, see placing).
MACHINE = RuleTable(TABLE, statuses=S, precedence=(P.USER, P.INSTITUTION, P.PROXY, P.CENTER))

ACTIONS: tuple[str, ...] = MACHINE.actions

# From each status, where an order may go (derived; for docs and tests).
TRANSITIONS: dict[str, frozenset[str]] = MACHINE.transitions

ACTION_LABELS: dict[str, Promise] = {
    "accept": _("Accept the order"),
    "decline": _("Decline the order"),
    "cancel": _("Cancel the order"),
    "start": _("Start the service"),
    "wait": _("Wait for the user"),
    "resume": _("Resume the service"),
    "deliver": _("Deliver"),
    "complete": _("Confirm completion"),
    "rework": _("Ask for rework"),
}

# What the note field is called for each action, in the forms.
NOTE_LABELS: dict[str, Promise] = {
    "accept": _("Note to the user (optional)"),
    "decline": _("Reason for declining"),
    "cancel": _("Reason for cancelling"),
    "start": _("Note (optional)"),
    "wait": _("What the user must supply"),
    "resume": _("Note (optional)"),
    "deliver": _("Note on the result (optional)"),
    "complete": _("Your feedback (optional)"),
    "rework": _("What must be redone"),
}

# The questions asked of the table (onestop.core.statemachine).
rules_for = MACHINE.rules_for
can_transition = MACHINE.can_transition
rule_for = MACHINE.rule_for
party_for = MACHINE.party_for
may_ever = MACHINE.may_ever


def allowed_actions(status: str, parties: Iterable[str]) -> list[Rule]:
    """The moves ``parties`` may make now, in table order (the page's buttons)."""
    return [rule for rule, _party in MACHINE.allowed(status, parties)]


def is_closed(status: str) -> bool:
    return status in CLOSED_STATUSES
