"""Credit grades of service institutions, A to E (in the spirit of GB/T 39683,
credit evaluation of service institutions; HM 5.1, WX 7.4.1).

How a grade is computed
=======================

Five components, each scored from 0 to 100 over the **last 12 months**
(``WINDOW_DAYS``), are combined by the weights in ``WEIGHTS`` (they add up
to 100)::

    score = Σ weight × component score / 100

==================  ======  ===============================================================
component           weight  component score
==================  ======  ===============================================================
evaluations           35    70 % from the mean institution score of the evaluations
                            (1 → 0, 5 → 100) and 30 % from the share of evaluations that
                            were not dissatisfied or unsolved ("bad"). Fewer than
                            ``MIN_EVALUATIONS`` (5) evaluations: insufficient data.
complaints            20    100 − 10 per upheld complaint per 100 completed orders
                            (at least ``COMPLAINT_MIN_ORDERS`` orders are assumed, so one
                            upheld complaint of a small institution is not "100 per 100").
                            No upheld complaint and fewer than 20 completed orders:
                            insufficient data.
clocks                15    the share of order-acceptance deadlines met (1 working day,
                            WX 7.2.2.2.1), × 100. Fewer than ``MIN_CLOCKS`` (5) decided
                            orders: insufficient data.
qualifications        15    100 − 40 for each kind of certificate (CMA, CNAS, …) whose
                            newest certificate has expired − 10 for each kind whose newest
                            certificate expires within ``EXPIRING_DAYS`` (30) days.
corrective actions    15    100 − 50 for each corrective action addressed to the
                            institution that is past its due date while awaiting the
                            institution (issued, or its evidence sent back). An action
                            awaiting the supervisor's verification does not count.
==================  ======  ===============================================================

A component with insufficient data is **neutral**: it scores ``NEUTRAL``
(80, an ordinary good record) instead of rewarding or punishing a lack of
history, and the public page says "insufficient data". Scores below 0 are 0.

Grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E below 60 (``THRESHOLDS``).

This module is pure arithmetic on the inputs (``CreditInputs``);
onestop.supervision.services.credit gathers them for every institution at
once and stores ``CreditGrade`` rows.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WINDOW_DAYS = 365
EXPIRING_DAYS = 30
MIN_EVALUATIONS = 5
MIN_CLOCKS = 5
COMPLAINT_MIN_ORDERS = 20
NEUTRAL = 80.0

# The weights, in one place (they add up to 100).
WEIGHTS: dict[str, int] = {
    "evaluations": 35,
    "complaints": 20,
    "clocks": 15,
    "qualifications": 15,
    "corrective_actions": 15,
}

THRESHOLDS: tuple[tuple[str, int], ...] = (("A", 90), ("B", 80), ("C", 70), ("D", 60))
LOWEST = "E"

# Within the evaluations component.
MEAN_SHARE = 0.7
# Points lost per unit.
PER_COMPLAINT_RATE = 10.0  # per upheld complaint per 100 completed orders
PER_EXPIRED_KIND = 40.0
PER_EXPIRING_KIND = 10.0
PER_OVERDUE_ACTION = 50.0

COMPONENT_LABELS: dict[str, str | Promise] = {
    "evaluations": _("Evaluations by users"),
    "complaints": _("Upheld complaints"),
    "clocks": _("Orders accepted or declined on time"),
    "qualifications": _("Qualification certificates"),
    "corrective_actions": _("Overdue corrective actions"),
}


@dataclasses.dataclass(frozen=True)
class CreditInputs:
    """What the formula needs about one institution (the last 12 months)."""

    evaluations: int = 0
    mean_score: Decimal | None = None  # mean institution score of those evaluations, 1..5
    bad_evaluations: int = 0
    completed_orders: int = 0
    upheld_complaints: int = 0
    clocks_decided: int = 0
    clocks_met: int = 0
    expired_kinds: int = 0
    expiring_kinds: int = 0
    overdue_actions: int = 0


@dataclasses.dataclass(frozen=True)
class CreditResult:
    grade: str
    score: Decimal
    components: dict[str, dict[str, Any]]


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def _round(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def evaluations_component(inputs: CreditInputs) -> tuple[float, bool, dict[str, Any]]:
    count = inputs.evaluations
    facts: dict[str, Any] = {
        "count": count,
        "mean": str(inputs.mean_score) if inputs.mean_score is not None else None,
        "bad": inputs.bad_evaluations,
    }
    if count < MIN_EVALUATIONS:
        return NEUTRAL, False, facts
    good_share = 1 - inputs.bad_evaluations / count
    if inputs.mean_score is None:  # questionnaires without an institution part
        return _clip(100 * good_share), True, facts
    mean_part = (float(inputs.mean_score) - 1) / 4 * 100
    return _clip(MEAN_SHARE * mean_part + (1 - MEAN_SHARE) * 100 * good_share), True, facts


def complaints_component(inputs: CreditInputs) -> tuple[float, bool, dict[str, Any]]:
    upheld, completed = inputs.upheld_complaints, inputs.completed_orders
    facts: dict[str, Any] = {"upheld": upheld, "completed_orders": completed}
    if upheld == 0 and completed < COMPLAINT_MIN_ORDERS:
        return NEUTRAL, False, facts
    rate = upheld * 100 / max(completed, COMPLAINT_MIN_ORDERS)
    facts["per_100_orders"] = _round(rate)
    return _clip(100 - PER_COMPLAINT_RATE * rate), True, facts


def clocks_component(inputs: CreditInputs) -> tuple[float, bool, dict[str, Any]]:
    decided, met = inputs.clocks_decided, inputs.clocks_met
    facts: dict[str, Any] = {"decided": decided, "met": met}
    if decided < MIN_CLOCKS:
        return NEUTRAL, False, facts
    return _clip(100 * met / decided), True, facts


def qualifications_component(inputs: CreditInputs) -> tuple[float, bool, dict[str, Any]]:
    facts: dict[str, Any] = {"expired": inputs.expired_kinds, "expiring": inputs.expiring_kinds}
    lost = PER_EXPIRED_KIND * inputs.expired_kinds + PER_EXPIRING_KIND * inputs.expiring_kinds
    return _clip(100 - lost), True, facts


def actions_component(inputs: CreditInputs) -> tuple[float, bool, dict[str, Any]]:
    facts: dict[str, Any] = {"overdue": inputs.overdue_actions}
    return _clip(100 - PER_OVERDUE_ACTION * inputs.overdue_actions), True, facts


COMPONENTS = {
    "evaluations": evaluations_component,
    "complaints": complaints_component,
    "clocks": clocks_component,
    "qualifications": qualifications_component,
    "corrective_actions": actions_component,
}


def grade_for(score: Decimal | float) -> str:
    for grade, threshold in THRESHOLDS:
        if score >= threshold:
            return grade
    return LOWEST


def credit_compute(inputs: CreditInputs) -> CreditResult:
    """The grade, the score and each component's facts for one institution."""
    components: dict[str, dict[str, Any]] = {}
    total = 0.0
    for name, component in COMPONENTS.items():
        points, sufficient, facts = component(inputs)
        weight = WEIGHTS[name]
        total += weight * points
        components[name] = {
            "score": _round(points),
            "weight": weight,
            "sufficient": sufficient,
            **facts,
        }
    score = Decimal(str(total / sum(WEIGHTS.values()))).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return CreditResult(grade=grade_for(score), score=score, components=components)


@dataclasses.dataclass(frozen=True)
class ComponentRow:
    """One component as the public page shows it."""

    name: str
    label: str
    weight: int
    score: float
    sufficient: bool


def component_rows(components: dict[str, Any]) -> list[ComponentRow]:
    rows = []
    for name, label in COMPONENT_LABELS.items():
        part = components.get(name)
        if not isinstance(part, dict):
            continue
        rows.append(
            ComponentRow(
                name=name,
                label=str(label),
                weight=int(part.get("weight", WEIGHTS[name])),
                score=float(part.get("score", 0)),
                sufficient=bool(part.get("sufficient", True)),
            )
        )
    return rows
