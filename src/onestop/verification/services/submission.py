"""Submitting and resubmitting applications (WX 7.1.1.2-7.1.1.6)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User, UserKind
from onestop.audit.services import audit_record
from onestop.core import crypto
from onestop.core.errors import InvalidInput, PermissionDeniedError
from onestop.core.services import sla_clock_start
from onestop.documents.errors import UploadRejected
from onestop.documents.models import Document
from onestop.documents.services import document_store
from onestop.enterprises.models import (
    Enterprise,
    EnterpriseStatus,
    MemberRole,
    Membership,
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
)
from onestop.verification.services.rules import (
    REVIEW_WORKING_DAYS,
    SLA_KIND,
    AlreadyUnderReview,
    AlreadyVerified,
    add_one_month,
    clean_text,
    home_region,
    latest_payload,
    validate_id_number,
    validate_uscc,
)

# --- writing an application ----------------------------------------------


def _open_or_rejected(
    applicant: User, kind: str, enterprise: Enterprise | None
) -> Application | None:
    existing = (
        Application.objects.select_for_update(no_key=True)
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
    real_name = clean_text(real_name, label=str(_("Real name")), low=2, high=30)
    previous = _open_or_rejected(user, ApplicationKind.INDIVIDUAL, None)
    if not id_number and previous is not None:
        # Left blank on resubmission: the number sent before (never shown in clear).
        id_number = str(latest_payload(previous).get("id_number", ""))
    id_number = validate_id_number(id_number)
    index = crypto.blind_index(id_number, purpose="id_number")
    if Identity.objects.filter(id_index=index).exists():
        raise InvalidInput(_("This ID number is already verified for another account."))
    region = home_region(user)
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
        name=clean_text(details.name, label=str(_("Enterprise name")), low=2, high=100),
        uscc=validate_uscc(details.uscc),
        legal_representative=clean_text(
            details.legal_representative, label=str(_("Legal representative")), low=2, high=30
        ),
        address=clean_text(details.address, label=str(_("Address")), low=4, high=200),
        region=details.region,
        industry=clean_text(details.industry, label=str(_("Industry")), low=2, high=50),
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
    new_name = clean_text(new_name, label=str(_("New name")), low=2, high=100)
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
