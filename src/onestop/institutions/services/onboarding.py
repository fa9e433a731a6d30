"""Onboarding (WX 7.1.2): the application, the service center's decision
within 3 working days, suspension, reinstatement and exit."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import DomainError, InvalidTransition, PermissionDeniedError
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.institutions import agreement
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    Qualification,
    StatusChange,
)
from onestop.institutions.services.qualifications import (
    check_unique,
    clean_qualification,
    store_scan,
)
from onestop.institutions.services.rules import (
    MAX_QUALIFICATIONS_PER_APPLICATION,
    OPEN_STATUSES,
    PHONE,
    REVIEW_WORKING_DAYS,
    SLA_KIND,
    FieldError,
    InstitutionDetails,
    NotEnterpriseOwner,
    QualificationInput,
    S,
    can_decide,
    can_exit,
    can_reinstate,
    change_status,
    clean_reason,
    clean_text,
    local_today,
    lock,
    open_clock,
    people_of,
    reindex,
    stored,
)
from onestop.notifications.services import notify

# --- onboarding ----------------------------------------------------------------------


def _clean_details(details: InstitutionDetails, *, default_name: str) -> InstitutionDetails:
    if details.kind not in InstitutionKind.values:
        raise FieldError("kind", _("Choose the kind of institution."))
    name = (details.name or "").strip() or default_name
    name = clean_text(name, field="name", label=_("institution name"), high=200)
    address = clean_text(details.address, field="address", label=_("address"), high=200)
    phone = clean_text(
        details.service_phone, field="service_phone", label=_("service phone"), high=40
    )
    if not PHONE.match(phone):
        raise FieldError("service_phone", _("Enter a phone number of digits, spaces and hyphens."))
    description = (details.description or "").strip()
    if len(description) > 5000:
        raise FieldError("description", _("The introduction may be at most 5000 characters."))
    return InstitutionDetails(
        kind=details.kind,
        name=name,
        address=address,
        service_phone=phone,
        description=description,
    )


def apply_refusal(
    membership: Membership | None, existing: Institution | None
) -> DomainError | None:
    """Why this membership cannot apply now, or None: only the owner of a
    verified enterprise with no institution awaiting review, active or
    suspended may apply (WX 7.1.2)."""
    if membership is None:
        return PermissionDeniedError(_("Your account does not act for an enterprise."))
    if membership.role != MemberRole.OWNER:
        return NotEnterpriseOwner()
    if membership.enterprise.status != EnterpriseStatus.VERIFIED:
        return InvalidTransition(
            _("Your enterprise must pass verification before it can apply to onboard.")
        )
    if existing is not None and existing.status in OPEN_STATUSES:
        return InvalidTransition(
            _("Your enterprise already has an institution (%(status)s)."),
            status=str(S(existing.status).label),
        )
    return None


def check_can_apply(*, actor: User, lock: bool = False) -> tuple[Membership, Institution | None]:
    """The actor's membership and the rejected or exited institution to apply
    again with (if any); raises the ``apply_refusal`` when they may not apply."""
    membership = (
        Membership.objects.select_related("enterprise__region")
        .filter(user=actor, removed_at__isnull=True)
        .order_by("joined_at")
        .first()
    )
    existing = None
    if membership is not None:
        if lock:
            # Two applications of one enterprise at once: the second waits, then sees the first.
            Enterprise.objects.select_for_update(no_key=True).filter(
                pk=membership.enterprise_id
            ).first()
        existing = Institution.objects.filter(enterprise_id=membership.enterprise_id).first()
    refusal = apply_refusal(membership, existing)
    if refusal is not None or membership is None:
        raise refusal or PermissionDeniedError()
    return membership, existing


@transaction.atomic
def institution_apply(
    *,
    actor: User,
    details: InstitutionDetails,
    qualifications: Sequence[QualificationInput],
    agreement_version: str,
    agreement_accepted: bool,
) -> Institution:
    """A verified enterprise's owner applies to onboard it as a service
    institution, with its qualifications and the accepted onboarding
    agreement (WX 7.1.2). Review is due within 3 working days. A rejected
    or exited institution applies again on the same row."""
    membership, existing = check_can_apply(actor=actor, lock=True)
    enterprise = membership.enterprise
    if not agreement_accepted:
        raise FieldError("agreement", _("Read and accept the onboarding agreement to apply."))
    if agreement_version != agreement.CURRENT.version:
        raise FieldError(
            "agreement",
            _("The onboarding agreement has changed; read the current version and accept it."),
        )
    cleaned = _clean_details(details, default_name=enterprise.name)
    if not qualifications:
        raise FieldError(
            "qualifications", _("Add at least one qualification certificate (CMA, CNAS …).")
        )
    if len(qualifications) > MAX_QUALIFICATIONS_PER_APPLICATION:
        raise FieldError(
            "qualifications",
            _("At most %(n)s certificates per application; add more after onboarding."),
            n=MAX_QUALIFICATIONS_PER_APPLICATION,
        )
    today = local_today()
    items = [
        clean_qualification(item, today=today, index=index)
        for index, item in enumerate(qualifications)
    ]
    check_unique(items, institution=existing)

    now = timezone.now()
    values = {
        "name": cleaned.name,
        "kind": cleaned.kind,
        "region": enterprise.region,
        "description": cleaned.description,
        "address": cleaned.address,
        "service_phone": cleaned.service_phone,
        "status": S.PENDING,
        "agreement_version": agreement_version,
        "agreement_accepted_at": now,
        "applied_by": actor,
        "applied_at": now,
        "decided_at": None,
    }
    if existing is None:
        institution = Institution.objects.create(enterprise=enterprise, **values)
        from_status = ""
    else:
        institution = existing
        from_status = institution.status
        for field, value in values.items():
            setattr(institution, field, value)
        institution.save()
    _replace_qualifications(actor=actor, institution=institution, items=items)
    StatusChange.objects.create(
        institution=institution,
        from_status=from_status,
        to_status=S.PENDING,
        reason=stored(
            _("Application submitted") if existing is None else _("Application submitted again")
        ),
        actor=actor,
    )
    sla_clock_start(
        subject=institution,
        kind=SLA_KIND,
        working_days=REVIEW_WORKING_DAYS,
        started_at=now,
        region=institution.region,
    )
    audit_record(
        actor=actor,
        action="institutions.apply" if existing is None else "institutions.reapply",
        obj=institution,
        region=institution.region,
        changes={
            "kind": cleaned.kind,
            "agreement_version": agreement_version,
            "qualifications": [f"{item.kind} {item.number}" for item in items],
        },
    )
    notify(
        recipients=[actor],
        kind="institutions.applied",
        title=str(_("Your onboarding application has been received")),
        body=str(
            _("The service center will give its result within %(days)s working days.")
            % {"days": REVIEW_WORKING_DAYS}
        ),
        url="/institutions/mine/",
    )
    reindex(institution)
    return institution


def _replace_qualifications(
    *, actor: User, institution: Institution, items: Sequence[QualificationInput]
) -> None:
    """The application's certificates become the institution's: the same
    certificate again updates its row; certificates of an earlier application
    that are left out go, unless an offering still relies on them."""
    kept: list[int] = []
    for index, item in enumerate(items):
        scan = store_scan(actor=actor, institution=institution, upload=item.scan, index=index)
        qualification = Qualification.objects.filter(
            institution=institution, kind=item.kind, number=item.number
        ).first()
        if qualification is None:
            qualification = Qualification(institution=institution, kind=item.kind)
        qualification.number = item.number
        qualification.scope = item.scope
        qualification.issuer = item.issuer
        qualification.valid_from = item.valid_from
        qualification.valid_to = item.valid_to
        qualification.expiry_warned_at = None
        if scan is not None:
            qualification.scan = scan
        qualification.save()
        kept.append(qualification.pk)
    institution.qualifications.exclude(pk__in=kept).filter(offerings__isnull=True).delete()


# --- the service center's decision and supervision -----------------------------------------


def _for_staff(actor: User, institution: Institution) -> Institution:
    institution = lock(institution)
    authz.require(actor, authz.Perm.INSTITUTION_REVIEW, institution.region)
    return institution


def _tell(institution: Institution, *, kind: str, title: str | Promise, reason: str) -> None:
    notify(
        recipients=people_of(institution),
        kind=kind,
        title=str(title),
        body=reason,
        url="/institutions/mine/",
        channels_=["sms"],
    )


@transaction.atomic
def institution_approve(
    *, reviewer: User, institution: Institution, reason: str = ""
) -> Institution:
    """Onboard the institution (WX 7.1.2): it becomes ACTIVE and public."""
    return _decide(
        reviewer,
        institution,
        to=S.ACTIVE,
        reason=reason,
        action="institutions.approve",
        title=_("Your institution has been onboarded"),
    )


@transaction.atomic
def institution_reject(*, reviewer: User, institution: Institution, reason: str) -> Institution:
    """Turn the application down with a reason the applicant sees; they may apply again."""
    return _decide(
        reviewer,
        institution,
        to=S.REJECTED,
        reason=reason,
        action="institutions.reject",
        title=_("Your onboarding application was not approved"),
    )


def _decide(
    reviewer: User,
    institution: Institution,
    *,
    to: str,
    reason: str,
    action: str,
    title: str | Promise,
) -> Institution:
    """Approve or reject: a reason (required to reject), the status change,
    the review clock stopped, the applicant told."""
    institution = _for_staff(reviewer, institution)
    approving = to == S.ACTIVE
    text = clean_reason(
        reason, required=not approving, default=_("Onboarding approved") if approving else ""
    )
    if not can_decide(institution):
        raise InvalidTransition(_("Only an application awaiting review can be decided."))
    change_status(institution=institution, to=to, actor=reviewer, reason=text, action=action)
    clock = open_clock(institution)
    if clock is not None:
        sla_clock_stop(clock=clock)
    kind = "institutions.approved" if approving else "institutions.rejected"
    _tell(institution, kind=kind, title=title, reason=text)
    return institution


@transaction.atomic
def institution_suspend(*, actor: User, institution: Institution, reason: str) -> Institution:
    """Suspend an active institution; its offerings leave search until reinstated."""
    institution = _for_staff(actor, institution)
    text = clean_reason(reason, required=True, default="")
    if institution.status != S.ACTIVE:
        raise InvalidTransition(_("Only an active institution can be suspended."))
    change_status(
        institution=institution,
        to=S.SUSPENDED,
        actor=actor,
        reason=text,
        action="institutions.suspend",
    )
    _tell(
        institution,
        kind="institutions.suspended",
        title=_("Your institution has been suspended"),
        reason=text,
    )
    return institution


@transaction.atomic
def institution_reinstate(
    *, actor: User, institution: Institution, reason: str = ""
) -> Institution:
    institution = _for_staff(actor, institution)
    if not can_reinstate(institution):
        raise InvalidTransition(_("Only a suspended institution can be reinstated."))
    text = clean_reason(reason, required=False, default=_("Suspension lifted"))
    change_status(
        institution=institution,
        to=S.ACTIVE,
        actor=actor,
        reason=text,
        action="institutions.reinstate",
    )
    _tell(
        institution,
        kind="institutions.reinstated",
        title=_("Your institution has been reinstated"),
        reason=text,
    )
    return institution


@transaction.atomic
def institution_exit(*, actor: User, institution: Institution, reason: str) -> Institution:
    """Remove the institution from the platform; the exit stays on its public page."""
    institution = _for_staff(actor, institution)
    text = clean_reason(reason, required=True, default="")
    if not can_exit(institution):
        raise InvalidTransition(_("Only an active or suspended institution can exit."))
    change_status(
        institution=institution,
        to=S.EXITED,
        actor=actor,
        reason=text,
        action="institutions.exit",
    )
    _tell(
        institution,
        kind="institutions.exited",
        title=_("Your institution has left the platform"),
        reason=text,
    )
    return institution
