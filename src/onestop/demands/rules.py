"""The demand state machine in one place (WX 7.2.2, HM 4.3.2-4.3.3).

published ──respond──▶ responded ──recommend──▶ recommended ──accept──▶ docked
    │                      │  └──refer──▶ referred ◀──refer──┘              │
    └──────────── cancel (the requester) / close (staff) ◀──────────────────┘

A transition is allowed when the current status is in its row of
TRANSITIONS; the services ask ``require(demand, action)``, which raises
InvalidTransition with a Chinese message and changes nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onestop.core.errors import InvalidTransition
from onestop.demands.models import Demand, DemandStatus

S = DemandStatus

# Statuses in which someone still has to act on the demand.
OPEN_STATUSES = (S.PUBLISHED, S.RESPONDED, S.RECOMMENDED, S.REFERRED, S.DOCKED)
FINAL_STATUSES = (S.CLOSED, S.CANCELLED)

# action -> statuses it may start from
TRANSITIONS: dict[str, frozenset[str]] = {
    "claim": frozenset(OPEN_STATUSES),
    "assign": frozenset(OPEN_STATUSES),
    "respond": frozenset({S.PUBLISHED}),
    # Recommending needs the need clarified first (WX 7.2.2.2.1: respond, then recommend).
    "recommend": frozenset({S.RESPONDED, S.RECOMMENDED, S.REFERRED}),
    "refer": frozenset({S.RESPONDED, S.RECOMMENDED}),
    "accept": frozenset({S.RECOMMENDED, S.REFERRED}),
    "record_docking": frozenset({S.DOCKED}),
    "escalate": frozenset({S.PUBLISHED, S.RESPONDED, S.RECOMMENDED, S.REFERRED}),
    # Not after docking: the institution is already working on it.
    "cancel": frozenset({S.PUBLISHED, S.RESPONDED, S.RECOMMENDED, S.REFERRED}),
    "close": frozenset(OPEN_STATUSES),
}

_REFUSALS = {
    "claim": _("This demand is already finished; nobody can take it on."),
    "assign": _("This demand is already finished and cannot be assigned."),
    "respond": _("This demand has already been responded to."),
    "recommend": _("Respond to the user (contact made, need clarified) before recommending."),
    "refer": _("Respond to the user before referring the demand to an outside institution."),
    "accept": _("There is no recommendation to accept on this demand now."),
    "record_docking": _(
        "Docking details can be recorded only after the user has accepted an institution."
    ),
    "escalate": _("Only a demand still being handled can be escalated."),
    "cancel": _("This demand can no longer be withdrawn (it is docked or finished)."),
    "close": _("This demand is already closed or withdrawn."),
}


def can(demand: Demand, action: str) -> bool:
    return demand.status in TRANSITIONS[action]


def require(demand: Demand, action: str) -> None:
    if not can(demand, action):
        raise InvalidTransition(_REFUSALS[action])


def is_open(demand: Demand) -> bool:
    return demand.status in OPEN_STATUSES
