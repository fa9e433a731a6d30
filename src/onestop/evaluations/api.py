"""Evaluations API under /api/v1/evaluations/ (WX 7.3): the questionnaire
behind a link and its one submission (no login: the signed link is the
credential), the institution's evaluations (no rater identity for anonymous
questionnaires) and its appeals. The same services and selectors as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from onestop.core.http import AuthenticatedRequest
from onestop.core.idempotency import idempotent, link_holder
from onestop.evaluations import selectors, services
from onestop.evaluations.models import Invitation

router = Router(tags=["evaluations"])

PAGE_SIZE = 20


class ErrorOut(Schema):
    code: str
    detail: str


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    key: str
    text: str
    type: str  # "scale" or "yes_no"
    part: str
    part_title: str


class QuestionnaireOut(Schema):
    subject: str  # "order" or "consultation"
    number: str
    service: str
    institution: str
    title: str
    anonymous_to_provider: bool
    expires_at: dt.datetime
    scale: list[ChoiceOut]
    yes_no: list[ChoiceOut]
    questions: list[QuestionOut]
    comment_max_length: int
    asks_signature: bool


class SubmissionIn(Schema):
    answers: dict[str, str]
    comment: str = ""
    enterprise_name: str = ""
    signer: str = ""


class SubmittedOut(Schema):
    id: int
    institution_score: Decimal | None
    dissatisfied: bool
    submitted_at: dt.datetime


class AnswerOut(Schema):
    part: str
    text: str
    label: str
    bad: bool


class EvaluationOut(Schema):
    id: int
    number: str
    service: str
    submitted_at: dt.datetime
    institution_score: Decimal | None
    dissatisfied: bool
    counted: bool
    comment: str
    rater: str  # "" when the questionnaire is anonymous to the institution
    answers: list[AnswerOut]
    appeal_status: str


class EvaluationListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[EvaluationOut]


class ListFilter(Schema):
    page: int = 1


class AppealIn(Schema):
    reason: str


class AppealOut(Schema):
    id: int
    status: str
    lodged_at: dt.datetime


def _questionnaire(invitation: Invitation) -> QuestionnaireOut:
    form = invitation.form
    definition = form.definition
    titles = {part["key"]: part["title"] for part in definition["parts"]}
    order, demand = invitation.order, invitation.demand
    return QuestionnaireOut(
        subject="order" if order is not None else "consultation",
        number=order.number if order is not None else demand.number if demand else "",
        service=order.offering.name if order is not None else demand.title if demand else "",
        institution=order.institution.name if order is not None else "",
        title=form.title,
        anonymous_to_provider=form.anonymous_to_provider,
        expires_at=invitation.expires_at,
        scale=[ChoiceOut(value=s["value"], label=s["label"]) for s in definition["scale"]],
        yes_no=[ChoiceOut(value=s["value"], label=s["label"]) for s in definition["yes_no"]],
        questions=[
            QuestionOut(
                key=q["key"],
                text=q["text"],
                type=q["type"],
                part=q["part"],
                part_title=titles[q["part"]],
            )
            for q in invitation.asked_questions()
        ],
        comment_max_length=int(definition["comment"]["max_length"]),
        asks_signature=bool(definition.get("signature")),
    )


@router.get(
    "/invitations/{token}",
    auth=None,
    response={200: QuestionnaireOut, 400: ErrorOut, 410: ErrorOut},
    summary="The questionnaire behind an evaluation link (no login)",
)
def invitation_get(request: HttpRequest, token: str) -> QuestionnaireOut:
    return _questionnaire(services.invitation_open(token=token))


@router.post(
    "/invitations/{token}",
    auth=None,
    # 409: the same Idempotency-Key still being processed.
    response={201: SubmittedOut, 400: ErrorOut, 409: ErrorOut, 410: ErrorOut},
    summary="Submit the evaluation behind a link (once; answers are final)",
)
# The link is the credential: a key belongs to the link, not to a login.
@idempotent("evaluations.invitation_submit", scope=link_holder("token"))
def invitation_submit(request: HttpRequest, token: str, data: SubmissionIn) -> Status[SubmittedOut]:
    evaluation = services.evaluation_submit(
        token=token,
        answers=data.answers,
        comment=data.comment,
        enterprise_name=data.enterprise_name,
        signer=data.signer,
    )
    return Status(
        201,
        SubmittedOut(
            id=evaluation.pk,
            institution_score=evaluation.institution_score,
            dissatisfied=evaluation.bad,
            submitted_at=evaluation.created_at,
        ),
    )


@router.get(
    "/institution",
    response={200: EvaluationListOut, 404: ErrorOut},
    summary="Evaluations of my institution's services, newest first",
)
def institution_list(
    request: AuthenticatedRequest, filters: Query[ListFilter]
) -> EvaluationListOut:
    institution = selectors.institution_of(user=request.user)
    evaluations = selectors.institution_evaluations(institution=institution)
    page = Paginator(evaluations, PAGE_SIZE).get_page(filters.page)
    rows = selectors.rows_of(page.object_list, show_identity=False)
    return EvaluationListOut(
        count=page.paginator.count,
        page=page.number,
        pages=page.paginator.num_pages,
        results=[
            EvaluationOut(
                id=row.pk,
                number=row.subject_number,
                service=row.offering,
                submitted_at=row.submitted_at,
                institution_score=row.score,
                dissatisfied=row.bad,
                counted=row.counted,
                comment=row.comment,
                rater=row.rater,
                answers=[AnswerOut(**vars(answer)) for answer in row.answers],
                appeal_status=row.appeal_status,
            )
            for row in rows
        ],
    )


@router.post(
    "/institution/{evaluation_id}/appeal",
    response={201: AppealOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Appeal one review of my institution's service (once, within 30 days)",
)
def institution_appeal(
    request: AuthenticatedRequest, evaluation_id: int, data: AppealIn
) -> Status[AppealOut]:
    institution = selectors.institution_of(user=request.user)
    evaluation = selectors.institution_evaluation(institution=institution, pk=evaluation_id)
    appeal = services.appeal_lodge(actor=request.user, evaluation=evaluation, reason=data.reason)
    return Status(201, AppealOut(id=appeal.pk, status=appeal.status, lodged_at=appeal.lodged_at))
