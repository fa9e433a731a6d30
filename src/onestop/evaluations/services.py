"""Writes of evaluations (WX 7.3, HM 5.2): invitations, the one submission,
the institution's rating, and the rectification cases of bad reviews."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import DomainError, InvalidInput, InvalidTransition, NotFound
from onestop.core.models import SlaClock
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.evaluations import surveys
from onestop.evaluations.models import (
    CALLBACK_CLOCK,
    CALLBACK_WORKING_DAYS,
    COMMENT_MAX,
    INVITATION_DAYS,
    CallbackMethod,
    CaseStatus,
    Evaluation,
    Invitation,
    RectificationCase,
    SurveyForm,
)
from onestop.institutions.models import Institution
from onestop.notifications.services import notify
from onestop.orders.models import Order, OrderStatus

SALT = "onestop.evaluations.invitation"
MAX_AGE = dt.timedelta(days=INVITATION_DAYS)


class LinkGone(DomainError):
    code = "link_gone"
    status = 410
    default_message = _("This evaluation link has expired or has already been used.")


class LinkInvalid(InvalidInput):
    code = "link_invalid"
    default_message = _("This evaluation link is not valid.")


# --- questionnaires -----------------------------------------------------------------------


@transaction.atomic
def evaluations_load_forms() -> list[SurveyForm]:
    """Create the shipped questionnaires (HM Appendix A, GB/T 39734 five levels)
    if missing; an existing (code, version) is never changed."""
    loaded = []
    for data in surveys.SHIPPED_FORMS:
        form, _created = SurveyForm.objects.get_or_create(
            code=data["code"],
            version=data["version"],
            defaults={
                "title": data["title"],
                "source": data["source"],
                "definition": data["definition"],
                "anonymous_to_provider": data["anonymous_to_provider"],
            },
        )
        loaded.append(form)
    return loaded


def form_for_order(order: Order) -> SurveyForm:
    """The region's profile chooses: HM → Appendix A, others → five levels.
    The newest active version of that questionnaire."""
    code = surveys.HM_CODE if order.region.effective_profile() == "HM" else surveys.FIVE_LEVEL_CODE
    form = SurveyForm.objects.filter(code=code, active=True).order_by("-version").first()
    if form is None:
        evaluations_load_forms()
        form = SurveyForm.objects.filter(code=code, active=True).order_by("-version").first()
    if form is None:
        raise NotFound(_("No questionnaire is available for this region."))
    return form


# --- the invitation -----------------------------------------------------------------------


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_url(invitation: Invitation) -> str:
    return reverse("evaluations:invite", kwargs={"token": invitation_token(invitation)})


@transaction.atomic
def evaluation_invite(*, order: Order) -> Invitation:
    """System step when an order completes: one invitation per order, the
    link in the user's inbox. Calling it again returns the same invitation."""
    if order.status != OrderStatus.COMPLETED:
        raise InvalidTransition(_("Only a completed order can be evaluated."))
    existing = Invitation.objects.filter(order=order).first()
    if existing is not None:
        return existing
    form = form_for_order(order)
    invitation = Invitation.objects.create(
        order=order, form=form, expires_at=timezone.now() + MAX_AGE
    )
    url = invitation_url(invitation)
    notify(
        recipients=[order.user],
        kind="evaluations.invite",
        title=str(_("Please evaluate the service of order %(number)s") % {"number": order.number}),
        body=str(
            _("The link works for %(days)s days, once, without logging in.")
            % {"days": INVITATION_DAYS}
        ),
        url=url,
    )
    audit_record(
        action="evaluations.invite",
        obj=order,
        region=order.region,
        changes={"invitation": invitation.pk, "form": str(form)},
        actor_label="system",
    )
    return invitation


def _refused(token: str, error: DomainError) -> None:
    """Audit a refused link (in its own transaction: nothing else is stored)."""
    with transaction.atomic():
        audit_record(
            action="evaluations.link_refused",
            changes={"reason": error.code, "token": token[:16]},
            actor_label="anonymous",
        )


def _resolve(token: str) -> Invitation:
    try:
        pk = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkGone(_("This evaluation link has expired.")) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid() from exc
    invitation = (
        Invitation.objects.select_related("form", "order__offering", "order__institution")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise LinkInvalid()
    if invitation.used_at is not None:
        raise LinkGone(_("This service has already been evaluated; the link can be used once."))
    if invitation.expires_at <= timezone.now():
        raise LinkGone(_("This evaluation link has expired."))
    return invitation


def invitation_open(*, token: str) -> Invitation:
    """The invitation behind a link; forged (400), expired or used (410) are
    refused and the attempt audited."""
    try:
        return _resolve(token)
    except DomainError as error:
        _refused(token, error)
        raise


# --- the submission -----------------------------------------------------------------------


def _check_answers(form: SurveyForm, answers: dict[str, Any]) -> dict[str, str]:
    """Every question answered with a value of its scale; nothing else."""
    definition = form.definition
    allowed = {
        "scale": {step["value"] for step in definition["scale"]},
        "yes_no": {step["value"] for step in definition["yes_no"]},
    }
    questions = form.questions()
    keys = {question["key"] for question in questions}
    unknown = set(answers) - keys
    if unknown:
        raise InvalidInput(_("The answers contain an unknown question."))
    checked: dict[str, str] = {}
    for question in questions:
        value = answers.get(question["key"])
        if value in (None, ""):
            raise InvalidInput(_("Please answer every question."), field=question["key"])
        if not isinstance(value, str) or value not in allowed[question["type"]]:
            raise InvalidInput(
                _("The answer is not one of the choices of this questionnaire."),
                field=question["key"],
            )
        checked[question["key"]] = value
    return checked


def _score_and_bad(form: SurveyForm, answers: dict[str, str]) -> tuple[Decimal | None, list[str]]:
    definition = form.definition
    scores = {step["value"]: step["score"] for step in definition["scale"]}
    bad_values = {
        kind: {step["value"] for step in definition[kind] if step["bad"]}
        for kind in ("scale", "yes_no")
    }
    institution_scores = []
    bad = []
    for question in form.questions():
        value = answers[question["key"]]
        if value in bad_values[question["type"]]:
            bad.append(question["key"])
        if question["subject"] == "institution" and question["type"] == "scale":
            institution_scores.append(Decimal(scores[value]))
    if not institution_scores:
        return None, bad
    mean = sum(institution_scores, Decimal(0)) / Decimal(len(institution_scores))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), bad


def _rate(institution_id: int, score: Decimal) -> None:
    """Fold one score into the institution's running mean (row locked)."""
    institution = Institution.objects.select_for_update().get(pk=institution_id)
    count = institution.rating_count
    total = (Decimal(institution.rating) * count if count else Decimal(0)) + score
    institution.rating = (total / (count + 1)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    institution.rating_count = count + 1
    institution.save(update_fields=["rating", "rating_count", "updated_at"])
    from onestop.search.index import refresh_later

    refresh_later("institution", [institution_id])


@transaction.atomic
def _store(
    *, token: str, answers: dict[str, Any], comment: str, enterprise_name: str, signer: str
) -> Evaluation:
    invitation = _resolve(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used_at is not None:
        raise LinkGone(_("This service has already been evaluated; the link can be used once."))
    form = invitation.form
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("Comments may be at most %(max)s characters."), field="comment", max=COMMENT_MAX
        )
    checked = _check_answers(form, answers)
    score, bad = _score_and_bad(form, checked)
    order = invitation.order
    now = timezone.now()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                invitation=invitation,
                order=order,
                form=form,
                institution_id=order.institution_id,
                region_id=order.region_id,
                rater_id=order.user_id,
                answers=checked,
                comment=comment,
                enterprise_name=enterprise_name.strip()[:100],
                signer=signer.strip()[:50],
                signed_on=timezone.localdate(now),
                institution_score=score,
                bad=bool(bad),
            )
    except IntegrityError as exc:
        raise LinkGone(
            _("This service has already been evaluated; the link can be used once.")
        ) from exc
    invitation.used_at = now
    invitation.save(update_fields=["used_at"])
    if score is not None:
        _rate(order.institution_id, score)
    audit_record(
        action="evaluations.submit",
        obj=evaluation,
        region=order.region,
        changes={"order": order.number, "score": str(score), "bad": bad},
        actor_label="rater",
    )
    if bad:
        _open_case(evaluation, bad)
    return evaluation


def evaluation_submit(
    *,
    token: str,
    answers: dict[str, Any],
    comment: str = "",
    enterprise_name: str = "",
    signer: str = "",
) -> Evaluation:
    """The one submission behind a link (no login). All or nothing: a refused
    link, an answer off the scale or a too long comment stores nothing; a
    refused link is audited."""
    try:
        return _store(
            token=token,
            answers=answers,
            comment=comment,
            enterprise_name=enterprise_name,
            signer=signer,
        )
    except (LinkGone, LinkInvalid) as error:
        _refused(token, error)
        raise


# --- bad reviews --------------------------------------------------------------------------


def _open_case(evaluation: Evaluation, reasons: list[str]) -> RectificationCase:
    case = RectificationCase.objects.create(
        evaluation=evaluation,
        region_id=evaluation.region_id,
        institution_id=evaluation.institution_id,
        reasons=reasons,
    )
    sla_clock_start(
        subject=case,
        kind=CALLBACK_CLOCK,
        working_days=CALLBACK_WORKING_DAYS,
        region=evaluation.region,
    )
    audit_record(
        action="evaluations.case_open",
        obj=case,
        region=evaluation.region,
        changes={"reasons": reasons},
        actor_label="system",
    )
    staff = list(authz.holders_over(Role.CENTER_STAFF, evaluation.region))
    if staff:
        notify(
            recipients=staff,
            kind="evaluations.case_open",
            title=str(_("A dissatisfied evaluation needs a callback within 15 working days")),
            url=case.staff_url,
        )
    return case


def _callback_clock(case: RectificationCase) -> SlaClock | None:
    from django.contrib.contenttypes.models import ContentType

    return SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(RectificationCase),
        subject_id=str(case.pk),
        kind=CALLBACK_CLOCK,
        stopped_at__isnull=True,
    ).first()


@transaction.atomic
def rectification_callback_record(
    *,
    actor: User,
    case: RectificationCase,
    method: str,
    outcome: str,
    user_confirmed: bool,
) -> RectificationCase:
    """Center staff record the callback; with the user's confirmation the
    case is closed and its clock stopped."""
    case = RectificationCase.objects.select_for_update().select_related("region").get(pk=case.pk)
    authz.require(actor, Perm.ORDER_OVERSEE, case.region)
    if case.status == CaseStatus.CLOSED:
        raise InvalidTransition(_("This case is already closed."))
    if method not in CallbackMethod.values:
        raise InvalidInput(_("Choose how the user was called back."), field="method")
    outcome = (outcome or "").strip()
    if not outcome:
        raise InvalidInput(_("Record the outcome of the callback."), field="outcome")
    if len(outcome) > COMMENT_MAX:
        raise InvalidInput(
            _("The outcome may be at most %(max)s characters."), field="outcome", max=COMMENT_MAX
        )
    now = timezone.now()
    case.callback_method = method
    case.callback_outcome = outcome
    case.called_back_at = now
    case.called_back_by = actor
    fields = ["callback_method", "callback_outcome", "called_back_at", "called_back_by"]
    if user_confirmed:
        case.user_confirmed = True
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        fields += ["user_confirmed", "status", "closed_at"]
        clock = _callback_clock(case)
        if clock is not None:
            sla_clock_stop(clock=clock, at=now)
    case.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="evaluations.case_close" if user_confirmed else "evaluations.callback",
        obj=case,
        region=case.region,
        changes={"method": method, "user_confirmed": user_confirmed},
    )
    return case
