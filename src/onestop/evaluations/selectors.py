"""Reads of evaluations: the institution's view (no rater identity when the
questionnaire is anonymous to the provider), the center's region-scoped
lists, the rectification queue. Fixed number of queries each."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.core.errors import NotFound
from onestop.evaluations.models import CaseStatus, Evaluation, RectificationCase, SurveyForm
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_for_user


@dataclasses.dataclass(frozen=True)
class Answer:
    part: str
    text: str
    label: str
    bad: bool


@dataclasses.dataclass(frozen=True)
class EvaluationRow:
    """What a reader may see of one evaluation; ``rater`` is "" when hidden."""

    pk: int
    order_number: str
    offering: str
    institution: str
    submitted_at: dt.datetime
    score: Decimal | None
    bad: bool
    comment: str
    rater: str
    enterprise_name: str
    signer: str
    answers: list[Answer]


def answers_of(form: SurveyForm, answers: dict[str, Any]) -> list[Answer]:
    """The answers in the questionnaire's order with the labels of its scale."""
    definition = form.definition
    steps = {kind: {s["value"]: s for s in definition[kind]} for kind in ("scale", "yes_no")}
    titles = {part["key"]: part["title"] for part in definition["parts"]}
    rows = []
    for question in form.questions():
        step = steps[question["type"]].get(answers.get(question["key"], ""), {})
        rows.append(
            Answer(
                part=titles[question["part"]],
                text=question["text"],
                label=step.get("label", ""),
                bad=bool(step.get("bad")),
            )
        )
    return rows


def _rows(evaluations: Iterable[Evaluation], *, show_identity: bool) -> list[EvaluationRow]:
    rows = []
    for evaluation in evaluations:
        visible = show_identity or not evaluation.form.anonymous_to_provider
        rows.append(
            EvaluationRow(
                pk=evaluation.pk,
                order_number=evaluation.order.number,
                offering=evaluation.order.offering.name,
                institution=evaluation.institution.name,
                submitted_at=evaluation.created_at,
                score=evaluation.institution_score,
                bad=evaluation.bad,
                comment=evaluation.comment,
                rater=evaluation.rater.display_name if visible else "",
                enterprise_name=evaluation.enterprise_name if visible else "",
                signer=evaluation.signer if visible else "",
                answers=answers_of(evaluation.form, evaluation.answers),
            )
        )
    return rows


def institution_of(*, user: User) -> Institution:
    institution = institution_for_user(user)
    if institution is None:
        raise NotFound()
    return institution


def institution_evaluations(*, institution: Institution, limit: int = 50) -> list[EvaluationRow]:
    """The institution's evaluations, newest first; for anonymous
    questionnaires the rows carry no rater, enterprise or signer (the
    template never receives them)."""
    evaluations = (
        Evaluation.objects.filter(institution=institution)
        .select_related("form", "order__offering", "institution", "rater")
        .order_by("-created_at", "-id")[:limit]
    )
    return _rows(evaluations, show_identity=False)


def center_evaluations(*, user: User, limit: int = 50) -> list[EvaluationRow]:
    """Evaluations of orders in the regions the staff member oversees, with identity."""
    scope = authz.region_scope(user, Perm.ORDER_OVERSEE)
    evaluations = scope.filter(
        Evaluation.objects.select_related("form", "order__offering", "institution", "rater"),
        "region",
    ).order_by("-created_at", "-id")[:limit]
    return _rows(evaluations, show_identity=True)


def rectification_queue(
    *, user: User, status: str = CaseStatus.OPEN
) -> QuerySet[RectificationCase]:
    scope = authz.region_scope(user, Perm.ORDER_OVERSEE)
    cases = RectificationCase.objects.select_related(
        "institution", "region", "evaluation__order"
    ).order_by("-opened_at", "-id")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    return scope.filter(cases, "region")


def rectification_detail(*, user: User, pk: int) -> RectificationCase:
    """One case the staff member oversees; "not found" outside the scope."""
    scope = authz.region_scope(user, Perm.ORDER_OVERSEE)
    case = (
        scope.filter(RectificationCase.objects.all(), "region")
        .select_related(
            "institution",
            "region",
            "called_back_by",
            "evaluation__order__offering",
            "evaluation__form",
            "evaluation__rater",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def callback_responsible(case: RectificationCase) -> Iterable[User]:
    """Who must call the user back: center staff over the case's region."""
    return list(authz.holders_over(Role.CENTER_STAFF, case.region))
