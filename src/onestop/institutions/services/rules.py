"""The onboarding state machine, the inputs and errors of the institution
services, and the helpers they share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.core.models import SlaClock
from onestop.enterprises.models import Membership
from onestop.institutions import selectors
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Qualification,
    StatusChange,
)
from onestop.search.index import refresh_later
from onestop.search.models import DocKind
from onestop.stations.models import Station

SLA_KIND = selectors.SLA_KIND  # "institution_review"
REVIEW_WORKING_DAYS = 3
# A qualification this close to its end warns the institution and the center.
EXPIRY_WARNING_DAYS = 30
# Offerings whose qualification expired this recently are re-indexed by the
# daily check (a missed run or two still catches them).
EXPIRED_REINDEX_DAYS = 30
MAX_QUALIFICATIONS_PER_APPLICATION = 10
TURNAROUND_RANGE = (1, 365)

S = InstitutionStatus
# The whole state machine: from each status, where it may go.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.ACTIVE, S.REJECTED}),
    S.REJECTED: frozenset({S.PENDING}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.EXITED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.EXITED}),
    S.EXITED: frozenset({S.PENDING}),
}
# An enterprise with an institution in one of these cannot apply again.
OPEN_STATUSES = frozenset({S.PENDING, S.ACTIVE, S.SUSPENDED})
# Qualifications can be added while the institution is on the platform.
QUALIFICATION_STATUSES = frozenset({S.ACTIVE, S.SUSPENDED})

PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,24}$")


class FieldError(InvalidInput):
    """Invalid input about one field; ``field`` is set per instance."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


class QualificationError(FieldError):
    """A field of the ``index``-th qualification of an application is invalid."""

    def __init__(self, index: int, field: str, message: str | Promise, **params: Any) -> None:
        self.index = index
        super().__init__(field, message, **params)


class NotInstitutionMember(PermissionDeniedError):
    code = "not_institution_member"
    default_message = _("Only the people of this institution's enterprise can do this.")


class NotEnterpriseOwner(PermissionDeniedError):
    code = "not_enterprise_owner"
    default_message = _("Only the enterprise's owner can apply to onboard it as an institution.")


# --- inputs --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class InstitutionDetails:
    kind: str
    name: str
    address: str
    service_phone: str
    description: str = ""


@dataclasses.dataclass(frozen=True)
class QualificationInput:
    kind: str
    number: str
    scope: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    scan: UploadedFile[bytes] | None = None


@dataclasses.dataclass(frozen=True)
class OfferingInput:
    category: ServiceCategory
    name: str
    scope: str
    turnaround_working_days: int
    service_item: ServiceItem | None = None
    qualification: Qualification | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    price_note: str = ""
    online: bool = False
    at_lab: bool = True
    stations: Sequence[Station] = ()


# --- predicates ------------------------------------------------------------------


def can_transition(institution: Institution, to: str) -> bool:
    return to in TRANSITIONS.get(institution.status, frozenset())


def can_decide(institution: Institution) -> bool:
    return institution.status == S.PENDING


def can_suspend(institution: Institution) -> bool:
    return can_transition(institution, S.SUSPENDED)


def can_reinstate(institution: Institution) -> bool:
    return institution.status == S.SUSPENDED


def can_exit(institution: Institution) -> bool:
    return can_transition(institution, S.EXITED)


# --- helpers ---------------------------------------------------------------------


def local_today() -> dt.date:
    return timezone.localdate()


def stored(text: str | Promise) -> str:
    """A default reason as the public notice keeps it: in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def clean_text(value: str | None, *, field: str, label: str | Promise, high: int) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise FieldError(field, _("Enter the %(label)s."), label=str(label))
    if len(cleaned) > high:
        raise FieldError(
            field, _("The %(label)s may be at most %(n)s characters."), label=str(label), n=high
        )
    return cleaned


def clean_reason(reason: str | None, *, required: bool, default: str | Promise) -> str:
    cleaned = (reason or "").strip()
    if len(cleaned) > 1000:
        raise FieldError("reason", _("The reason may be at most 1000 characters."))
    if cleaned:
        return cleaned
    if required:
        raise FieldError("reason", _("Give the reason; it is published with the notice."))
    return stored(default)


def member_of(actor: User, institution: Institution) -> Membership:
    membership = Membership.objects.filter(
        enterprise_id=institution.enterprise_id, user=actor, removed_at__isnull=True
    ).first()
    if membership is None:
        raise NotInstitutionMember()
    return membership


def people_of(institution: Institution) -> list[User]:
    """Who hears about the institution: its enterprise's people and the applicant."""
    people = list(selectors.institution_people(institution))
    if institution.applied_by is not None and institution.applied_by.is_active:
        people.append(institution.applied_by)
    return list({person.pk: person for person in people}.values())


def reindex(institution: Institution) -> None:
    """An institution's status shows on its page and decides whether its
    offerings can be found: both are rebuilt after commit."""
    refresh_later(DocKind.INSTITUTION, [institution.pk])
    refresh_later(DocKind.OFFERING, list(institution.offerings.values_list("pk", flat=True)))


def lock(institution: Institution) -> Institution:
    return (
        Institution.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "enterprise", "applied_by")
        .get(pk=institution.pk)
    )


def open_clock(institution: Institution) -> SlaClock | None:
    return SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Institution),
        subject_id=str(institution.pk),
        kind=SLA_KIND,
        stopped_at__isnull=True,
    ).first()


def change_status(
    *,
    institution: Institution,
    to: str,
    actor: User | None,
    reason: str,
    action: str,
) -> StatusChange:
    """The one place a status changes: check the table, record, audit, re-index."""
    if not can_transition(institution, to):
        raise InvalidTransition(
            _("An institution that is %(current)s cannot become %(target)s."),
            current=str(S(institution.status).label),
            target=str(S(to).label),
        )
    from_status = institution.status
    institution.status = to
    fields = ["status", "updated_at"]
    if from_status == S.PENDING:
        institution.decided_at = timezone.now()
        fields.append("decided_at")
    institution.save(update_fields=fields)
    change = StatusChange.objects.create(
        institution=institution,
        from_status=from_status,
        to_status=to,
        reason=reason,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=action,
        obj=institution,
        region=institution.region,
        changes={"from": from_status, "to": to, "reason": reason},
    )
    reindex(institution)
    return change
