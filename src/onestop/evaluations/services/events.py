"""The history of a review's follow-up: one EvaluationEvent per step of its
rectification case or its appeal, written by that step's service inside its
transaction (so a rolled-back step leaves no event behind)."""

from __future__ import annotations

from onestop.accounts.models import User
from onestop.evaluations.models import EvaluationEvent, EventKind


def evaluation_event_record(
    *, evaluation_id: int, actor: User | None, kind: EventKind, note: str = ""
) -> EvaluationEvent:
    return EvaluationEvent.objects.create(
        evaluation_id=evaluation_id, actor=actor, kind=kind, note=note
    )
