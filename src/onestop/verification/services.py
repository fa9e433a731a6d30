"""Real-name and enterprise verification, and enterprise name changes.

The review state machine (WX 7.1.1.5): an application is SUBMITTED, then the
service center APPROVES it or REJECTS it with reasons; a rejected one is
completed and resubmitted. Every transition writes an ApplicationEvent and an
audit row; each submission starts a 3-working-day SLA clock that the decision
stops; each (re)submission is a revision, so the reviewer sees what changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from onestop.accounts import authz
from onestop.accounts.models import Role, User, UserKind
from onestop.audit.services import audit_record
from onestop.core import crypto
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.core.models import SlaClock
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.documents.errors import UploadRejected
from onestop.documents.models import Document
from onestop.documents.services import document_store
from onestop.enterprises.models import (
    Enterprise,
    EnterpriseStatus,
    MemberRole,
    Membership,
    NameChange,
)
from onestop.notifications.services import notify
from onestop.regions.models import Region
from onestop.verification.models import (
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationRevision,
    ApplicationStatus,
    Identity,
    RejectReason,
)

REVIEW_WORKING_DAYS = 3  # WX 7.1.1.5
SLA_KIND = "verification_review"

TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.REJECTED: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.APPROVED: set(),
}

_PLAIN_TEXT = re.compile(r"^[^<>{}\\]+$")


def can_decide(application: Application) -> bool:
    return ApplicationStatus.APPROVED in TRANSITIONS[application.status]


def can_resubmit(application: Application) -> bool:
    return ApplicationStatus.SUBMITTED in TRANSITIONS[application.status]


class AlreadyUnderReview(InvalidTransition):
    code = "already_under_review"
    default_message = _("An application of this type is already under review.")


class AlreadyVerified(InvalidTransition):
    code = "already_verified"
    default_message = _("This has already been verified.")


# --- validation -----------------------------------------------------------


def _text(value: str, *, label: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high or not _PLAIN_TEXT.match(value):
        raise InvalidInput(
            _("%(label)s must be %(low)s to %(high)s characters of plain text."),
            label=label,
            low=low,
            high=high,
        )
    return value


def validate_id_number(value: str) -> str:
    """A mainland resident ID number with a correct check digit (GB 11643)."""
    try:
        return str(ric.validate(value))
    except StdnumError as exc:
        raise InvalidInput(_("The ID number is not valid (check digit mismatch).")) from exc


def validate_uscc(value: str) -> str:
    """A unified social credit code with a correct check character (GB 32100)."""
    try:
        return str(uscc.validate(value))
    except StdnumError as exc:
        raise InvalidInput(
            _("The unified social credit code is not valid (check character mismatch).")
        ) from exc


def _home_region(user: User) -> Region:
    for assignment in authz.assignments(user):
        if assignment.role in (Role.INDIVIDUAL, Role.ENTERPRISE) and assignment.region:
            return assignment.region
    raise InvalidInput(_("Your account has no region; please contact the service center."))


def add_one_month(day: dt.date) -> dt.date:
    """The same day next month, or that month's last day (31 Jan → 28/29 Feb)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


# --- writing an application ----------------------------------------------


def _open_or_rejected(
    applicant: User, kind: str, enterprise: Enterprise | None
) -> Application | None:
    existing = (
        Application.objects.select_for_update()
        .filter(applicant=applicant, kind=kind, enterprise=enterprise)
        .exclude(status=ApplicationStatus.APPROVED)
        .order_by("-submitted_at")
        .first()
    )
    if existing is not None and existing.status == ApplicationStatus.SUBMITTED:
        raise AlreadyUnderReview()
    return existing


def _record_submission(
    *,
    actor: User,
    kind: str,
    region: Region,
    payload: dict[str, Any],
    documents: Sequence[Document],
    enterprise: Enterprise | None = None,
    late_report: bool = False,
    previous: Application | None,
) -> Application:
    now = timezone.now()
    if previous is None:
        application = Application.objects.create(
            kind=kind,
            applicant=actor,
            enterprise=enterprise,
            region=region,
            submitted_at=now,
            late_report=late_report,
        )
        from_status = ""
    else:
        application = previous
        from_status = application.status
        application.status = ApplicationStatus.SUBMITTED
        application.region = region
        application.submitted_at = now
        application.decided_at = None
        application.late_report = late_report
        application.save()
    number = application.revisions.count() + 1
    revision = ApplicationRevision.objects.create(
        application=application,
        number=number,
        payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
        submitted_at=now,
    )
    revision.documents.set(documents)
    ApplicationEvent.objects.create(
        application=application, actor=actor, from_status=from_status, to_status=application.status
    )
    sla_clock_start(
        subject=application,
        kind=SLA_KIND,
        working_days=REVIEW_WORKING_DAYS,
        started_at=now,
        region=region,
    )
    audit_record(
        actor=actor,
        action="verification.submit" if previous is None else "verification.resubmit",
        obj=application,
        region=region,
        changes={"kind": kind, "revision": number},
    )
    notify(
        recipients=[actor],
        kind="verification.submitted",
        title=str(_("Your application has been received")),
        body=str(
            _("The service center will give its result within %(days)s working days.")
            % {"days": REVIEW_WORKING_DAYS}
        ),
        url="/verification/",
    )
    return application


def _previous_documents(previous: Application | None) -> dict[str, Document]:
    if previous is None:
        return {}
    last = previous.revisions.order_by("-number").first()
    return {doc.kind: doc for doc in last.documents.all()} if last else {}


def _documents(
    *,
    owner: User,
    region: Region,
    uploads: dict[str, UploadedFile[bytes] | None],
    previous: Application | None,
) -> list[Document]:
    """New uploads, falling back to the last revision's file of the same kind."""
    kept = _previous_documents(previous)
    documents = []
    for kind, upload in uploads.items():
        if upload is not None:
            try:
                stored = document_store(owner=owner, kind=kind, upload=upload, region=region)
            except UploadRejected as exc:
                exc.field = kind  # which of the files it was
                raise
            documents.append(stored)
        elif kind in kept:
            documents.append(kept[kind])
        else:
            raise InvalidInput(_("Please upload all the required documents."))
    return documents


@transaction.atomic
def application_submit_individual(
    *, user: User, real_name: str, id_number: str, id_card: UploadedFile[bytes] | None
) -> Application:
    """Real-name verification of an individual (WX 7.1.1.2, 7.1.1.3)."""
    if user.kind != UserKind.INDIVIDUAL:
        raise InvalidInput(_("Only individual accounts verify a person's identity."))
    if Identity.objects.filter(user=user).exists():
        raise AlreadyVerified()
    real_name = _text(real_name, label=str(_("Real name")), low=2, high=30)
    previous = _open_or_rejected(user, ApplicationKind.INDIVIDUAL, None)
    if not id_number and previous is not None:
        # Left blank on resubmission: the number sent before (never shown in clear).
        id_number = str(latest_payload(previous).get("id_number", ""))
    id_number = validate_id_number(id_number)
    index = crypto.blind_index(id_number, purpose="id_number")
    if Identity.objects.filter(id_index=index).exists():
        raise InvalidInput(_("This ID number is already verified for another account."))
    region = _home_region(user)
    documents = _documents(
        owner=user, region=region, uploads={"id_card": id_card}, previous=previous
    )
    return _record_submission(
        actor=user,
        kind=ApplicationKind.INDIVIDUAL,
        region=region,
        payload={"real_name": real_name, "id_number": id_number},
        documents=documents,
        previous=previous,
    )


@dataclass(frozen=True)
class EnterpriseDetails:
    name: str
    uscc: str
    legal_representative: str
    address: str
    region: Region
    industry: str


def _clean_details(details: EnterpriseDetails) -> EnterpriseDetails:
    return EnterpriseDetails(
        name=_text(details.name, label=str(_("Enterprise name")), low=2, high=100),
        uscc=validate_uscc(details.uscc),
        legal_representative=_text(
            details.legal_representative, label=str(_("Legal representative")), low=2, high=30
        ),
        address=_text(details.address, label=str(_("Address")), low=4, high=200),
        region=details.region,
        industry=_text(details.industry, label=str(_("Industry")), low=2, high=50),
    )


@transaction.atomic
def application_submit_enterprise(
    *,
    user: User,
    details: EnterpriseDetails,
    licence: UploadedFile[bytes] | None,
    qualification: UploadedFile[bytes] | None,
    pledge: UploadedFile[bytes] | None,
) -> Application:
    """Enterprise verification (WX 7.1.1.4): licence, qualification, integrity pledge.

    The first submission creates the enterprise (awaiting verification) with
    the applicant as its owner; a resubmission updates its details.
    """
    if user.kind != UserKind.ENTERPRISE:
        raise InvalidInput(_("Only enterprise accounts register an enterprise."))
    details = _clean_details(details)
    owned = Membership.objects.filter(
        user=user, role=MemberRole.OWNER, removed_at__isnull=True
    ).select_related("enterprise")
    enterprise = next((m.enterprise for m in owned), None)
    if enterprise is not None and enterprise.status == EnterpriseStatus.VERIFIED:
        raise AlreadyVerified()
    taken = Enterprise.objects.filter(uscc=details.uscc)
    if enterprise is not None:
        taken = taken.exclude(pk=enterprise.pk)
    if taken.exists():
        raise InvalidInput(
            _("An enterprise with this unified social credit code is already registered.")
        )
    fields = {
        "name": details.name,
        "uscc": details.uscc,
        "legal_representative": details.legal_representative,
        "address": details.address,
        "region": details.region,
        "industry": details.industry,
    }
    if enterprise is None:
        enterprise = Enterprise.objects.create(**fields)
        Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.OWNER)
        previous = None
    else:
        previous = _open_or_rejected(user, ApplicationKind.ENTERPRISE, enterprise)
        for name, value in fields.items():
            setattr(enterprise, name, value)
        enterprise.save()
    documents = _documents(
        owner=user,
        region=details.region,
        uploads={
            "business_licence": licence,
            "qualification_certificate": qualification,
            "integrity_pledge": pledge,
        },
        previous=previous,
    )
    payload = {**fields, "region": details.region.code}
    return _record_submission(
        actor=user,
        kind=ApplicationKind.ENTERPRISE,
        region=details.region,
        payload=payload,
        documents=documents,
        enterprise=enterprise,
        previous=previous,
    )


@transaction.atomic
def application_submit_name_change(
    *,
    user: User,
    enterprise: Enterprise,
    new_name: str,
    changed_on: dt.date,
    licence: UploadedFile[bytes] | None,
) -> Application:
    """Report a name change with the new licence (WX 7.1.1.6).

    Reported more than one month after the change, the application and the
    name history are flagged as late.
    """
    if not Membership.objects.filter(
        user=user, enterprise=enterprise, role=MemberRole.OWNER, removed_at__isnull=True
    ).exists():
        raise PermissionDeniedError(_("Only the enterprise's owner can report a name change."))
    if enterprise.status != EnterpriseStatus.VERIFIED:
        raise InvalidInput(_("The enterprise must be verified before its name can change."))
    new_name = _text(new_name, label=str(_("New name")), low=2, high=100)
    if new_name == enterprise.name:
        raise InvalidInput(_("The new name is the same as the current one."))
    today = timezone.localdate()
    if changed_on > today:
        raise InvalidInput(_("The date of the change cannot be in the future."))
    late = today > add_one_month(changed_on)
    previous = _open_or_rejected(user, ApplicationKind.NAME_CHANGE, enterprise)
    documents = _documents(
        owner=user,
        region=enterprise.region,
        uploads={"business_licence": licence},
        previous=previous,
    )
    return _record_submission(
        actor=user,
        kind=ApplicationKind.NAME_CHANGE,
        region=enterprise.region,
        payload={
            "old_name": enterprise.name,
            "new_name": new_name,
            "changed_on": changed_on.isoformat(),
        },
        documents=documents,
        enterprise=enterprise,
        late_report=late,
        previous=previous,
    )


# --- the decision ----------------------------------------------------------


def _lock_for_decision(reviewer: User, application: Application) -> Application:
    application = (
        # Lock the application row only: PostgreSQL cannot lock the nullable side
        # of the outer join to its (optional) enterprise.
        Application.objects.select_for_update(of=("self",))
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


def latest_payload(application: Application) -> dict[str, Any]:
    revision = application.revisions.order_by("-number").first()
    return json.loads(revision.payload) if revision else {}


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


def enterprise_of(application: Application) -> Enterprise:
    if application.enterprise is None:  # enterprise and name-change applications always have one
        raise RuntimeError(f"application {application.pk} has no enterprise")
    return application.enterprise


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
