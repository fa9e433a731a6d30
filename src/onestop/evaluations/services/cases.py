"""Bad reviews (GB/T 39734 practice): 不满意 or "not solved" opens a
rectification case; center staff call the user back within 15 working days,
record the outcome, and the user's confirmation closes the case."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import SlaClock
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.evaluations.models import (
    CALLBACK_CLOCK,
    CALLBACK_WORKING_DAYS,
    COMMENT_MAX,
    CallbackMethod,
    CaseStatus,
    Evaluation,
    EventKind,
    RectificationCase,
)
from onestop.evaluations.services.events import evaluation_event_record
from onestop.notifications.services import notify


def open_case(evaluation: Evaluation, reasons: list[str]) -> RectificationCase:
    """Called by evaluation_submit inside its transaction."""
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
    evaluation_event_record(evaluation_id=evaluation.pk, actor=None, kind=EventKind.CASE_OPENED)
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
    case is closed and its clock stopped. One event either way: "called
    back" while the user is not yet satisfied, "closed" with the confirmation."""
    case = (
        RectificationCase.objects.select_for_update(no_key=True)
        .select_related("region")
        .get(pk=case.pk)
    )
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
    evaluation_event_record(
        evaluation_id=case.evaluation_id,
        actor=actor,
        kind=EventKind.CASE_CLOSED if user_confirmed else EventKind.CALLED_BACK,
        note=outcome,
    )
    return case
