"""Reads of evaluations: the institution's view (no rater identity when the
questionnaire is anonymous to the provider), the center's region-scoped
lists, the rectification queue, the rater's own reviews and the history of a
review's case and appeal as each reader may see it. Fixed number of queries
each."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.core.errors import NotFound
from onestop.evaluations.models import (
    CASE_KINDS,
    CENTER_KINDS,
    Appeal,
    AppealStatus,
    CaseStatus,
    Evaluation,
    EvaluationEvent,
    EventKind,
    RectificationCase,
    SurveyForm,
)
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
    subject_number: str  # the order's or the consultation's number
    offering: str  # "" for a consultation
    institution: str  # "" when the service center was evaluated
    submitted_at: dt.datetime
    score: Decimal | None
    bad: bool
    counted: bool
    comment: str
    rater: str
    enterprise_name: str
    signer: str
    answers: list[Answer]
    appeal_status: str  # "" when not appealed
    appeal_label: str


def answers_of(form: SurveyForm, answers: dict[str, Any]) -> list[Answer]:
    """The answers in the questionnaire's order with the labels of its scale
    (questions not asked, such as part two for a consultation, are left out)."""
    definition = form.definition
    steps = {kind: {s["value"]: s for s in definition[kind]} for kind in ("scale", "yes_no")}
    titles = {part["key"]: part["title"] for part in definition["parts"]}
    rows = []
    for question in form.questions():
        if question["key"] not in answers:
            continue
        step = steps[question["type"]].get(answers[question["key"]], {})
        rows.append(
            Answer(
                part=titles[question["part"]],
                text=question["text"],
                label=step.get("label", ""),
                bad=bool(step.get("bad")),
            )
        )
    return rows


# Everything a row needs, in one query (the appeal is a reverse one-to-one).
ROW_RELATED = ("form", "order__offering", "demand", "institution", "rater", "appeal")


def _rows(evaluations: Iterable[Evaluation], *, show_identity: bool) -> list[EvaluationRow]:
    rows = []
    for evaluation in evaluations:
        visible = show_identity or not evaluation.form.anonymous_to_provider
        order = evaluation.order
        appeal = getattr(evaluation, "appeal", None)
        rows.append(
            EvaluationRow(
                pk=evaluation.pk,
                subject_number=evaluation.subject_number,
                offering=order.offering.name if order is not None else "",
                institution=evaluation.institution.name if evaluation.institution else "",
                submitted_at=evaluation.created_at,
                score=evaluation.institution_score,
                bad=evaluation.bad,
                counted=evaluation.counted,
                comment=evaluation.comment,
                rater=evaluation.rater.display_name if visible else "",
                enterprise_name=evaluation.enterprise_name if visible else "",
                signer=evaluation.signer if visible else "",
                answers=answers_of(evaluation.form, evaluation.answers),
                appeal_status=appeal.status if appeal else "",
                appeal_label=str(appeal.get_status_display()) if appeal else "",
            )
        )
    return rows


def rows_of(page: Iterable[Evaluation], *, show_identity: bool) -> list[EvaluationRow]:
    """Rows of a page of evaluations (from the querysets below)."""
    return _rows(page, show_identity=show_identity)


def institution_of(*, user: User) -> Institution:
    institution = institution_for_user(user)
    if institution is None:
        raise NotFound()
    return institution


def institution_evaluations(*, institution: Institution) -> QuerySet[Evaluation]:
    """The institution's evaluations, newest first. Render them with
    ``rows_of(..., show_identity=False)``: for anonymous questionnaires the
    rows carry no rater, enterprise or signer (the template never receives them)."""
    return (
        Evaluation.objects.filter(institution=institution)
        .select_related(*ROW_RELATED)
        .order_by("-created_at", "-id")
    )


def institution_evaluation(*, institution: Institution, pk: int) -> Evaluation:
    """One evaluation of the institution (to appeal); "not found" otherwise."""
    evaluation = (
        Evaluation.objects.filter(institution=institution, pk=pk)
        .select_related(*ROW_RELATED)
        .first()
    )
    if evaluation is None:
        raise NotFound()
    return evaluation


def center_evaluations(*, user: User, bad_only: bool = False) -> QuerySet[Evaluation]:
    """Evaluations in the regions the staff member oversees (with identity)."""
    scope = authz.region_scope(user, Perm.ORDER_OVERSEE)
    evaluations = Evaluation.objects.select_related(*ROW_RELATED)
    if bad_only:
        evaluations = evaluations.filter(bad=True)
    return scope.filter(evaluations, "region").order_by("-created_at", "-id")


def appeal_queue(*, user: User, status: str = AppealStatus.PENDING) -> QuerySet[Appeal]:
    scope = authz.region_scope(user, Perm.EVALUATION_REVIEW)
    appeals = Appeal.objects.select_related("institution", "evaluation").order_by(
        "-lodged_at", "-id"
    )
    if status in AppealStatus.values:
        appeals = appeals.filter(status=status)
    return scope.filter(appeals, "region")


def appeal_detail(*, user: User, pk: int) -> Appeal:
    scope = authz.region_scope(user, Perm.EVALUATION_REVIEW)
    appeal = (
        scope.filter(Appeal.objects.all(), "region")
        .select_related(
            "institution",
            "region",
            "lodged_by",
            "decided_by",
            "evaluation__form",
            "evaluation__order__offering",
            "evaluation__demand",
            "evaluation__rater",
        )
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise NotFound()
    return appeal


def rectification_queue(
    *, user: User, status: str = CaseStatus.OPEN
) -> QuerySet[RectificationCase]:
    scope = authz.region_scope(user, Perm.ORDER_OVERSEE)
    cases = RectificationCase.objects.select_related(
        "institution", "region", "evaluation__order", "evaluation__demand"
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
            "evaluation__demand",
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


# --- the history of a review's case and appeal -------------------------------------------


class Reader(enum.Enum):
    """Who reads a review's history, which decides what of it they see."""

    CENTER = "center"  # every step, with the names of the staff and the notes
    INSTITUTION = "institution"  # every step; notes of its appeal only; no names
    RATER = "rater"  # the steps of the case about their review, with notes; no names


@dataclasses.dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    label: str
    who: str
    note: str


def _party(kind: str) -> str:
    if kind in CENTER_KINDS:
        return _("Service center")
    if kind == EventKind.APPEAL_LODGED:
        return _("Institution")
    return _("Platform")


def timeline_of(events: Iterable[EvaluationEvent], *, reader: Reader) -> list[TimelineEntry]:
    """The entries ``reader`` may see. Only the center sees who acted by name:
    the notes of a callback talk about the rater (whom an anonymous
    questionnaire hides from the institution), and the rater need not know
    which staff member or which institution employee did what."""
    entries = []
    for event in events:
        is_case = event.kind in CASE_KINDS
        if reader is Reader.RATER and not is_case:
            continue  # an appeal is between the institution and the center
        if reader is Reader.CENTER:
            who = event.actor.display_name if event.actor else _("Platform")
            note = event.note
        else:
            who = _party(event.kind)
            note = "" if reader is Reader.INSTITUTION and is_case else event.note
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=event.kind,
                label=str(event.get_kind_display()),
                who=who,
                note=note,
            )
        )
    return entries


def evaluation_timeline(*, evaluation: Evaluation, reader: Reader) -> list[TimelineEntry]:
    """One review's history, oldest first (one query)."""
    events = EvaluationEvent.objects.filter(evaluation=evaluation)
    if reader is Reader.CENTER:
        events = events.select_related("actor")
    return timeline_of(events, reader=reader)


@dataclasses.dataclass(frozen=True)
class RaterReview:
    """One of the rater's own reviews and the follow-up of its case."""

    row: EvaluationRow
    case_status: str  # "" when the review opened no case
    timeline: list[TimelineEntry]


def rater_evaluations(*, user: User) -> QuerySet[Evaluation]:
    """The reviews ``user`` submitted, newest first, with their case steps
    (two queries a page: the rows, the events)."""
    case_events = EvaluationEvent.objects.filter(kind__in=CASE_KINDS)
    return (
        Evaluation.objects.filter(rater=user)
        .select_related(*ROW_RELATED, "rectification")
        .prefetch_related(Prefetch("events", queryset=case_events))
        .order_by("-created_at", "-id")
    )


def rater_reviews(page: Iterable[Evaluation]) -> list[RaterReview]:
    """What the rater sees of a page of ``rater_evaluations``: their own
    answers and identity, the case's steps, nothing of an appeal."""
    evaluations = list(page)
    rows = _rows(evaluations, show_identity=True)
    reviews = []
    for evaluation, row in zip(evaluations, rows, strict=True):
        case = getattr(evaluation, "rectification", None)
        reviews.append(
            RaterReview(
                row=row,
                case_status=str(case.get_status_display()) if case else "",
                timeline=timeline_of(evaluation.events.all(), reader=Reader.RATER),
            )
        )
    return reviews
