"""Appeals against reviews (WX 7.3, HM 5.2): the institution may contest a
review of its service once, within 30 days of it; the service center decides.
An upheld appeal keeps the review on record (its answers never change) but
takes it out of the institution's rating and the statistics."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.evaluations.models import (
    APPEAL_DAYS,
    COMMENT_MAX,
    Appeal,
    AppealStatus,
    Evaluation,
    EventKind,
)
from onestop.evaluations.services.events import evaluation_event_record
from onestop.evaluations.services.submission import rating_recompute
from onestop.institutions.selectors import institution_for_user
from onestop.notifications.services import notify

REASON_MIN = 10


def _text(value: str, *, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) < REASON_MIN:
        raise InvalidInput(
            _("%(label)s: please write at least %(min)s characters."),
            field=field,
            label=label,
            min=REASON_MIN,
        )
    if len(value) > COMMENT_MAX:
        raise InvalidInput(
            _("%(label)s may be at most %(max)s characters."),
            field=field,
            label=label,
            max=COMMENT_MAX,
        )
    return value


@transaction.atomic
def appeal_lodge(*, actor: User, evaluation: Evaluation, reason: str) -> Appeal:
    """A member of the evaluated institution contests the review."""
    institution = institution_for_user(actor)
    if (
        institution is None
        or evaluation.institution_id is None
        or institution.pk != evaluation.institution_id
    ):
        raise NotFound()
    if timezone.now() - evaluation.created_at > dt.timedelta(days=APPEAL_DAYS):
        raise InvalidTransition(
            _("A review can be appealed within %(days)s days of its submission."),
            days=APPEAL_DAYS,
        )
    reason = _text(reason, field="reason", label=str(_("Grounds of the appeal")))
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                evaluation=evaluation,
                institution_id=evaluation.institution_id,
                region_id=evaluation.region_id,
                reason=reason,
                lodged_by=actor,
            )
    except IntegrityError as exc:
        raise InvalidTransition(_("This review has already been appealed.")) from exc
    audit_record(
        actor=actor,
        action="evaluations.appeal",
        obj=appeal,
        region=evaluation.region,
        changes={"evaluation": evaluation.pk},
    )
    evaluation_event_record(
        evaluation_id=evaluation.pk, actor=actor, kind=EventKind.APPEAL_LODGED, note=reason
    )
    staff = list(authz.holders_over(Role.CENTER_STAFF, evaluation.region))
    if staff:
        notify(
            recipients=staff,
            kind="evaluations.appeal",
            title=str(_("An institution appealed a review; please decide")),
            url=appeal.staff_url,
        )
    return appeal


@transaction.atomic
def appeal_decide(*, actor: User, appeal: Appeal, upheld: bool, decision: str) -> Appeal:
    """The service center upholds (the review stops counting) or rejects."""
    appeal = (
        Appeal.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "evaluation")
        .get(pk=appeal.pk)
    )
    if not authz.has_perm(actor, Perm.EVALUATION_REVIEW, appeal.region):
        raise NotFound()
    if appeal.status != AppealStatus.PENDING:
        raise InvalidTransition(_("This appeal has already been decided."))
    decision = _text(decision, field="decision", label=str(_("Decision")))
    appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
    appeal.decision = decision
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decision", "decided_by", "decided_at"])
    if upheld:
        # The one column of an evaluation that may change (models.Evaluation).
        Evaluation.objects.filter(pk=appeal.evaluation_id).update(counted=False)
        rating_recompute(appeal.institution_id)
    audit_record(
        actor=actor,
        action="evaluations.appeal_decide",
        obj=appeal,
        region=appeal.region,
        changes={"status": appeal.status},
    )
    evaluation_event_record(
        evaluation_id=appeal.evaluation_id,
        actor=actor,
        kind=EventKind.APPEAL_UPHELD if upheld else EventKind.APPEAL_REJECTED,
        note=decision,
    )
    notify(
        recipients=[appeal.lodged_by],
        kind="evaluations.appeal_decided",
        title=str(
            _("Your appeal against a review was upheld")
            if upheld
            else _("Your appeal against a review was rejected")
        ),
        body=decision,
    )
    return appeal
