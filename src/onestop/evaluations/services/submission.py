"""The one submission behind a link: answers checked against the
questionnaire's scale, stored once and never changed; the institution's rating
recomputed; a bad answer opens a rectification case."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput
from onestop.demands.models import Demand
from onestop.evaluations.models import COMMENT_MAX, Evaluation, Invitation
from onestop.evaluations.services.cases import open_case
from onestop.evaluations.services.links import LinkGone, LinkInvalid, refused, resolve
from onestop.institutions.models import Institution
from onestop.orders.models import Order

TWO_PLACES = Decimal("0.01")
# The lengths of Evaluation.enterprise_name and Evaluation.signer.
NAME_MAX, SIGNER_MAX = 100, 50


def check_answers(invitation: Invitation, answers: dict[str, Any]) -> dict[str, str]:
    """Every asked question answered with a value of its scale; nothing else."""
    definition = invitation.form.definition
    allowed = {
        "scale": {step["value"] for step in definition["scale"]},
        "yes_no": {step["value"] for step in definition["yes_no"]},
    }
    questions = invitation.asked_questions()
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


def score_and_bad(
    invitation: Invitation, answers: dict[str, str]
) -> tuple[Decimal | None, list[str]]:
    """The mean 5..1 score of the institution part's scale answers (None when
    no institution was evaluated) and the keys answered badly."""
    definition = invitation.form.definition
    scores = {step["value"]: step["score"] for step in definition["scale"]}
    bad_values = {
        kind: {step["value"] for step in definition[kind] if step["bad"]}
        for kind in ("scale", "yes_no")
    }
    institution_scores = []
    bad = []
    for question in invitation.asked_questions():
        value = answers[question["key"]]
        if value in bad_values[question["type"]]:
            bad.append(question["key"])
        if question["subject"] == "institution" and question["type"] == "scale":
            institution_scores.append(Decimal(scores[value]))
    if not institution_scores:
        return None, bad
    mean = sum(institution_scores, Decimal(0)) / Decimal(len(institution_scores))
    return mean.quantize(TWO_PLACES, rounding=ROUND_HALF_UP), bad


def rating_recompute(institution_id: int) -> None:
    """The institution's rating: the mean score of its counted evaluations
    (recomputed, not folded in, so it never drifts; row locked)."""
    # FOR NO KEY UPDATE: rows being inserted that point at the institution
    # (orders, cases) take KEY SHARE on it; a plain FOR UPDATE would queue
    # behind them and deadlock with the audit chain's lock (seen under load).
    institution = Institution.objects.select_for_update(no_key=True).get(pk=institution_id)
    figures = Evaluation.objects.filter(
        institution_id=institution_id, counted=True, institution_score__isnull=False
    ).aggregate(mean=Avg("institution_score"), count=Count("id"))
    mean = figures["mean"]
    institution.rating = (
        Decimal(mean).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if mean is not None else 0
    )
    institution.rating_count = figures["count"]
    institution.save(update_fields=["rating", "rating_count", "updated_at"])
    from onestop.search.index import refresh_later

    refresh_later("institution", [institution_id])


@transaction.atomic
def _store(
    *, token: str, answers: dict[str, Any], comment: str, enterprise_name: str, signer: str
) -> Evaluation:
    invitation = resolve(token)
    invitation = (
        Invitation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("form", "order__region", "demand__region")
        .get(pk=invitation.pk)
    )
    if invitation.used_at is not None:
        raise LinkGone(_("This service has already been evaluated; the link can be used once."))
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("Comments may be at most %(max)s characters."), field="comment", max=COMMENT_MAX
        )
    enterprise_name, signer = enterprise_name.strip(), signer.strip()
    for field, value, limit, label in (
        ("enterprise_name", enterprise_name, NAME_MAX, _("The enterprise name")),
        ("signer", signer, SIGNER_MAX, _("The signer's name")),
    ):
        if len(value) > limit:
            raise InvalidInput(
                _("%(label)s may be at most %(max)s characters."),
                field=field,
                label=label,
                max=limit,
            )
    checked = check_answers(invitation, answers)
    score, bad = score_and_bad(invitation, checked)
    order, demand = invitation.order, invitation.demand
    subject: Order | Demand
    if order is not None:
        subject, rater_id = order, order.user_id
    elif demand is not None and demand.requester_id is not None:
        subject, rater_id = demand, demand.requester_id
    else:  # pragma: no cover - the invitation_one_subject constraint
        raise LinkInvalid()
    region = subject.region
    now = timezone.now()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                invitation=invitation,
                order=order,
                demand=demand,
                form=invitation.form,
                institution_id=order.institution_id if order is not None else None,
                region=region,
                rater_id=rater_id,
                answers=checked,
                comment=comment,
                enterprise_name=enterprise_name,
                signer=signer,
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
    if score is not None and order is not None:
        rating_recompute(order.institution_id)
    audit_record(
        action="evaluations.submit",
        obj=evaluation,
        region=region,
        changes={"subject": subject.number, "score": str(score), "bad": bad},
        actor_label="rater",
    )
    if bad:
        open_case(evaluation, bad)
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
        refused(token, error)
        raise
