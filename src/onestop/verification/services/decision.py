"""The service center's decision: approve, or return with reasons (WX 7.1.1.5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core import crypto
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import SlaClock
from onestop.core.services import sla_clock_stop
from onestop.enterprises.models import (
    EnterpriseStatus,
    NameChange,
)
from onestop.notifications.services import notify
from onestop.verification.models import (
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Identity,
    RejectReason,
)
from onestop.verification.services.rules import (
    SLA_KIND,
    can_decide,
    enterprise_of,
    latest_payload,
)

# --- the decision ----------------------------------------------------------


def _lock_for_decision(reviewer: User, application: Application) -> Application:
    application = (
        # Lock the application row only: PostgreSQL cannot lock the nullable side
        # of the outer join to its (optional) enterprise.
        Application.objects.select_for_update(no_key=True, of=("self",))
        .select_related("enterprise", "applicant", "region")
        .get(pk=application.pk)
    )
    authz.require(reviewer, authz.Perm.VERIFICATION_REVIEW, application.region)
    if not can_decide(application):
        raise InvalidTransition(_("Only an application under review can be decided."))
    return application


def _stop_clock(application: Application) -> None:
    clock = SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id=str(application.pk),
        kind=SLA_KIND,
        stopped_at__isnull=True,
    ).first()
    if clock is not None:
        sla_clock_stop(clock=clock)


def _decide(
    *, reviewer: User, application: Application, to: str, reasons: list[str], note: str
) -> None:
    from_status = application.status
    application.status = to
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    ApplicationEvent.objects.create(
        application=application,
        actor=reviewer,
        from_status=from_status,
        to_status=to,
        reasons=reasons,
        note=note,
    )
    _stop_clock(application)
    audit_record(
        actor=reviewer,
        action=f"verification.{'approve' if to == ApplicationStatus.APPROVED else 'reject'}",
        obj=application,
        region=application.region,
        changes={"reasons": reasons, "note": note},
    )


@transaction.atomic
def application_approve(*, reviewer: User, application: Application) -> Application:
    application = _lock_for_decision(reviewer, application)
    payload = latest_payload(application)
    now = timezone.now()
    if application.kind == ApplicationKind.INDIVIDUAL:
        Identity.objects.update_or_create(
            user=application.applicant,
            defaults={
                "real_name": payload["real_name"],
                "id_number": payload["id_number"],
                "id_index": crypto.blind_index(payload["id_number"], purpose="id_number"),
                "verified_at": now,
            },
        )
    elif application.kind == ApplicationKind.ENTERPRISE:
        enterprise = enterprise_of(application)
        enterprise.status = EnterpriseStatus.VERIFIED
        enterprise.save(update_fields=["status"])
    else:
        enterprise = enterprise_of(application)
        NameChange.objects.create(
            enterprise=enterprise,
            old_name=enterprise.name,
            new_name=payload["new_name"],
            changed_on=dt.date.fromisoformat(payload["changed_on"]),
            reported_at=application.submitted_at,
            late=application.late_report,
            approved_at=now,
        )
        enterprise.name = payload["new_name"]
        enterprise.save(update_fields=["name"])
    _decide(
        reviewer=reviewer,
        application=application,
        to=ApplicationStatus.APPROVED,
        reasons=[],
        note="",
    )
    notify(
        recipients=[application.applicant],
        kind="verification.approved",
        title=str(_("Your application has been approved")),
        body=str(application.get_kind_display()),
        url="/verification/",
        channels_=["sms"],
    )
    return application


@transaction.atomic
def application_reject(
    *, reviewer: User, application: Application, reasons: Sequence[str], note: str = ""
) -> Application:
    """Return the application with reasons from the list plus free text (WX 7.1.1.5)."""
    chosen = list(dict.fromkeys(reasons))
    if not chosen:
        raise InvalidInput(_("Choose at least one reason."))
    valid = set(RejectReason.values)
    if any(reason not in valid for reason in chosen):
        raise InvalidInput(_("Unknown reason."))
    note = (note or "").strip()
    if RejectReason.OTHER in chosen and not note:
        raise InvalidInput(_("Explain the reason in the note when choosing 'Other'."))
    if len(note) > 500:
        raise InvalidInput(_("The note may be at most 500 characters."))
    application = _lock_for_decision(reviewer, application)
    _decide(
        reviewer=reviewer,
        application=application,
        to=ApplicationStatus.REJECTED,
        reasons=chosen,
        note=note,
    )
    notify(
        recipients=[application.applicant],
        kind="verification.rejected",
        title=str(_("Your application needs completing")),
        body="；".join(str(RejectReason(r).label) for r in chosen) + (f"。{note}" if note else ""),
        url="/verification/",
        channels_=["sms"],
    )
    return application
