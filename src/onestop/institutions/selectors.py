"""Reads of institutions, qualifications and offerings.

Three audiences, three doors: the public sees onboarded institutions (never
pending or rejected ones) and published offerings of active ones; an
enterprise's people see their own institution whatever its state; the
service center sees what Perm.INSTITUTION_REVIEW covers in its regions.
Every read is a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.enterprises.models import MemberRole, Membership
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    OfferingStatus,
    Qualification,
    StatusChange,
)
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus

SLA_KIND = "institution_review"  # services.SLA_KIND is this one

# Statuses whose page the public may open: onboarded ones, and those that
# were (suspension and exit are public notices, WX 7.1.2).
PUBLIC_STATUSES = (InstitutionStatus.ACTIVE, InstitutionStatus.SUSPENDED, InstitutionStatus.EXITED)
# Application steps (submitted, not approved) are between the applicant and
# the center; the public notice lists onboarding, suspension, reinstatement, exit.
_HIDDEN_NOTICES = (InstitutionStatus.PENDING, InstitutionStatus.REJECTED)


class InstitutionNotFound(NotFound):
    code = "institution_not_found"
    default_message = _("No such institution.")


class OfferingNotFound(NotFound):
    code = "offering_not_found"
    default_message = _("No such offering.")


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _valid_on(day: dt.date, prefix: str = "qualification__") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day, f"{prefix}valid_to__gte": day})


# --- for other modules ------------------------------------------------------------


def institution_for_user(user: Any) -> Institution | None:
    """The institution of the enterprise the user is an active member of, if any
    (a person acts for one enterprise: the one joined first, as in
    enterprises.selectors.membership_of). One query."""
    if not getattr(user, "is_authenticated", False):
        return None
    enterprise = (
        Membership.objects.filter(user=user, removed_at__isnull=True)
        .order_by("joined_at")
        .values("enterprise_id")[:1]
    )
    return (
        Institution.objects.filter(enterprise_id=Subquery(enterprise))
        .select_related("region", "enterprise")
        .first()
    )


def active_offerings(*, today: dt.date | None = None) -> QuerySet[Offering]:
    """Offerings a user can order now: published, of an active institution,
    with no covering certificate or one valid today."""
    day = _today(today)
    return Offering.objects.filter(
        Q(qualification__isnull=True) | _valid_on(day),
        status=OfferingStatus.PUBLISHED,
        institution__status=InstitutionStatus.ACTIVE,
    )


def institution_people(institution: Institution) -> QuerySet[User]:
    """The active people of the institution's enterprise (owner and members)."""
    members = Membership.objects.filter(
        enterprise_id=institution.enterprise_id, removed_at__isnull=True
    )
    return get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id"))


def center_staff_over(region: Region) -> QuerySet[User]:
    """Service-center staff whose region covers ``region`` (its city, its province…)."""
    return authz.holders_over(Role.CENTER_STAFF, region)


# --- public ---------------------------------------------------------------------------


def institutions_public(*, kind: str = "", region: Region | None = None) -> QuerySet[Institution]:
    """Active institutions, optionally of one kind and in one region's subtree."""
    institutions = Institution.objects.filter(status=InstitutionStatus.ACTIVE).select_related(
        "region"
    )
    if kind:
        institutions = institutions.filter(kind=kind)
    if region is not None:
        institutions = institutions.filter(region__path__startswith=region.path)
    return institutions.order_by("name", "pk")


def _published_offerings() -> QuerySet[Offering]:
    return (
        Offering.objects.filter(status=OfferingStatus.PUBLISHED)
        .select_related("category__parent", "qualification")
        .order_by("name", "pk")
    )


@dataclasses.dataclass(frozen=True)
class InstitutionPage:
    institution: Institution
    qualifications: list[Qualification]
    offerings: list[Offering]
    notices: list[StatusChange]
    today: dt.date
    # onestop.supervision.models.CreditGrade, or None before the first computation.
    credit_grade: Any = None


def institution_page_public(
    *, institution_id: int, today: dt.date | None = None
) -> InstitutionPage:
    """One institution's public page (four queries): profile with its credit
    grade, certificates, published offerings (only while active) and its
    public notices."""
    institution = (
        Institution.objects.filter(pk=institution_id, status__in=PUBLIC_STATUSES)
        .select_related("region", "credit_grade")
        .prefetch_related(
            Prefetch("qualifications", queryset=Qualification.objects.order_by("kind", "valid_to")),
            Prefetch("offerings", queryset=_published_offerings()),
            Prefetch(
                "status_changes",
                queryset=StatusChange.objects.exclude(to_status__in=_HIDDEN_NOTICES),
            ),
        )
        .first()
    )
    if institution is None:
        raise InstitutionNotFound()
    offerings = list(institution.offerings.all()) if institution.is_active else []
    try:
        credit_grade = institution.credit_grade
    except ObjectDoesNotExist:  # not computed yet
        credit_grade = None
    return InstitutionPage(
        institution=institution,
        qualifications=list(institution.qualifications.all()),
        offerings=offerings,
        notices=list(institution.status_changes.all()),
        today=_today(today),
        credit_grade=credit_grade,
    )


def offering_page_public(*, offering_id: int) -> Offering:
    """A published offering of an active institution, with where it is
    offered (active stations only): two queries."""
    offering = (
        Offering.objects.filter(
            pk=offering_id,
            status=OfferingStatus.PUBLISHED,
            institution__status=InstitutionStatus.ACTIVE,
        )
        .select_related("institution__region", "category__parent", "service_item", "qualification")
        .prefetch_related(_active_stations())
        .first()
    )
    if offering is None:
        raise OfferingNotFound()
    return offering


def _active_stations() -> Prefetch[Any]:
    return Prefetch(
        "stations",
        queryset=Station.objects.filter(status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("region__path", "name"),
        to_attr="active_stations",
    )


# --- the enterprise's own institution --------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MyInstitution:
    membership: Membership
    institution: Institution | None
    qualifications: list[Qualification]
    offerings: list[Offering]
    history: list[StatusChange]
    today: dt.date

    @property
    def enterprise(self) -> Any:
        return self.membership.enterprise

    @property
    def is_owner(self) -> bool:
        return self.membership.role == MemberRole.OWNER


def my_membership(*, user: User) -> Membership | None:
    return (
        Membership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("enterprise__region")
        .order_by("joined_at")
        .first()
    )


def my_institution(*, user: User, today: dt.date | None = None) -> MyInstitution | None:
    """The user's enterprise and its institution (any status) with every
    certificate, every offering and the whole status history."""
    membership = my_membership(user=user)
    if membership is None:
        return None
    institution = (
        Institution.objects.filter(enterprise_id=membership.enterprise_id)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "qualifications",
                queryset=Qualification.objects.select_related("scan").order_by("valid_to", "pk"),
            ),
            Prefetch(
                "offerings",
                queryset=Offering.objects.select_related(
                    "category__parent", "qualification"
                ).order_by("status", "name", "pk"),
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
        )
        .first()
    )
    return MyInstitution(
        membership=membership,
        institution=institution,
        qualifications=list(institution.qualifications.all()) if institution else [],
        offerings=list(institution.offerings.all()) if institution else [],
        history=list(institution.status_changes.all()) if institution else [],
        today=_today(today),
    )


def own_institution(*, user: User) -> Institution:
    """The user's institution, for pages that act on it; NotFound without one."""
    institution = institution_for_user(user)
    if institution is None:
        raise InstitutionNotFound()
    return institution


def own_offering(*, institution: Institution, offering_id: int) -> Offering:
    """One of the institution's own offerings; another institution's is "not found"."""
    offering = (
        Offering.objects.filter(pk=offering_id, institution=institution)
        .select_related("category", "service_item", "qualification")
        .prefetch_related("stations")
        .first()
    )
    if offering is None:
        raise OfferingNotFound()
    return offering


def own_qualification(*, institution: Institution, qualification_id: int) -> Qualification:
    qualification = Qualification.objects.filter(
        pk=qualification_id, institution=institution
    ).first()
    if qualification is None:
        raise NotFound()
    return qualification


def qualification_choices(institution: Institution) -> QuerySet[Qualification]:
    return Qualification.objects.filter(institution=institution).order_by("kind", "-valid_to")


def station_choices() -> QuerySet[Station]:
    return (
        Station.objects.filter(status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("region__path", "name")
    )


# --- the service center ----------------------------------------------------------------


def _with_clock(institutions: QuerySet[Institution]) -> QuerySet[Institution]:
    clocks = SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Institution),
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
        kind=SLA_KIND,
        stopped_at__isnull=True,
    )
    return institutions.annotate(
        due_at=Subquery(clocks.values("due_at")[:1]),
        at_risk_at=Subquery(clocks.values("at_risk_at")[:1]),
    )


def _reviewable(user: User) -> QuerySet[Institution]:
    scope = authz.region_scope(user, authz.Perm.INSTITUTION_REVIEW)
    return scope.filter(Institution.objects.select_related("region", "enterprise"), "region")


def review_queue(*, user: User) -> QuerySet[Institution]:
    """Applications awaiting review in the reviewer's regions, oldest first."""
    pending = _reviewable(user).filter(status=InstitutionStatus.PENDING)
    return _with_clock(pending).order_by("applied_at", "pk")


def institutions_supervised(*, user: User, status: str) -> QuerySet[Institution]:
    """Institutions of one status in the reviewer's regions (for suspension and exit)."""
    return _reviewable(user).filter(status=status).order_by("name", "pk")


def institution_for_reviewer(*, user: User, institution_id: int) -> Institution:
    """An institution in the reviewer's regions with its certificates (and
    their scans), offerings and history; others are "not found"."""
    institution = (
        _with_clock(_reviewable(user))
        .filter(pk=institution_id)
        .select_related("applied_by")
        .prefetch_related(
            Prefetch(
                "qualifications",
                queryset=Qualification.objects.select_related("scan").order_by("valid_to", "pk"),
            ),
            Prefetch(
                "offerings",
                queryset=Offering.objects.select_related("category", "qualification").order_by(
                    "status", "name", "pk"
                ),
            ),
            Prefetch("status_changes", queryset=StatusChange.objects.select_related("actor")),
        )
        .first()
    )
    if institution is None:
        raise InstitutionNotFound()
    return institution


def scan_readable_by(user: Any, document: Any) -> bool:
    """documents reader predicate: a certificate scan may be read by the
    people of its institution's enterprise and by the center staff reviewing
    that institution (after their second factor, like every staff read)."""
    from onestop.accounts.twofactor import session_is_verified

    qualification = (
        Qualification.objects.filter(scan_id=document.pk)
        .select_related("institution__region")
        .first()
    )
    if qualification is None:
        return False
    institution = qualification.institution
    if Membership.objects.filter(
        enterprise_id=institution.enterprise_id, user=user, removed_at__isnull=True
    ).exists():
        return True
    return bool(
        session_is_verified(user)
        and authz.has_perm(user, authz.Perm.INSTITUTION_REVIEW, institution.region)
    )
