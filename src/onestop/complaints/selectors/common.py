"""What the doors share: who stands on which side of a complaint, its
clocks, the lists other modules read, and what a complaint may name."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import Role, User
from onestop.complaints import rules
from onestop.complaints.models import (
    INVESTIGATION_CLOCK,
    Complaint,
)
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.enterprises.models import Enterprise
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.institutions.selectors import institution_for_user
from onestop.stations.models import Station, StationStatus

# Institutions a complaint may name: onboarded and still on the platform.
COMPLAINABLE_INSTITUTIONS = (InstitutionStatus.ACTIVE, InstitutionStatus.SUSPENDED)
SIDE_COMPLAINANT, SIDE_STAFF, SIDE_INSTITUTION = "complainant", "staff", "institution"
SIDE_PARTIES: dict[str, frozenset[str]] = {
    SIDE_COMPLAINANT: frozenset({rules.Party.COMPLAINANT}),
    SIDE_STAFF: frozenset({rules.Party.CENTER, rules.Party.PROXY}),
    SIDE_INSTITUTION: frozenset({rules.Party.INSTITUTION}),
}


class ComplaintNotFound(NotFound):
    code = "complaint_not_found"
    default_message = _("No such complaint.")


# --- who is who on a complaint ---------------------------------------------------------


def parties_of(
    user: Any, complaint: Complaint, among: Iterable[str] | None = None
) -> frozenset[str]:
    """On which sides of ``complaint`` the user stands (rules.Party values),
    looking only at the sides ``among`` when given.

    COMPLAINANT: the account that complained (or was found by its number).
    CENTER: handles complaints (Perm.COMPLAINT_HANDLE) over its region.
    PROXY: the center, on a complaint received offline.
    INSTITUTION: acts for the institution the complaint was forwarded to.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    wanted = frozenset(among) if among is not None else frozenset(rules.PARTY_LABELS)
    held: set[str] = set()
    if rules.Party.COMPLAINANT in wanted and complaint.complainant_id == user.pk:
        held.add(rules.Party.COMPLAINANT)
    if wanted & {rules.Party.CENTER, rules.Party.PROXY} and authz.has_perm(
        user, Perm.COMPLAINT_HANDLE, complaint.region
    ):
        held.add(rules.Party.CENTER)
        if rules.is_offline(complaint):
            held.add(rules.Party.PROXY)
    if (
        rules.Party.INSTITUTION in wanted
        and complaint.institution_id is not None
        and complaint.forwarded_at is not None
    ):
        institution = institution_for_user(user)
        if institution is not None and institution.pk == complaint.institution_id:
            held.add(rules.Party.INSTITUTION)
    return frozenset(held & wanted)


def investigation_responsible(complaint: Complaint) -> list[User]:
    """Who must investigate and forward in time: center staff over the region."""
    return list(authz.holders_over(Role.CENTER_STAFF, complaint.region))


# --- clocks ----------------------------------------------------------------------------


def _complaint_type_id() -> int:
    return ContentType.objects.get_for_model(Complaint).pk


def _clocks() -> QuerySet[SlaClock]:
    return SlaClock.objects.filter(subject_type_id=_complaint_type_id(), kind=INVESTIGATION_CLOCK)


def running_clock(complaint: Complaint) -> SlaClock | None:
    return _clocks().filter(subject_id=str(complaint.pk), stopped_at__isnull=True).first()


def clocks_of(complaint: Complaint) -> list[SlaClock]:
    """Every investigation clock of the complaint (a new one per reopening), oldest first."""
    return list(_clocks().filter(subject_id=str(complaint.pk)).order_by("started_at", "pk"))


def with_clock(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Annotate due_at and at_risk_at of the running investigation clock (or None)."""
    clocks = _clocks().filter(
        stopped_at__isnull=True, subject_id=Cast(OuterRef("pk"), output_field=CharField())
    )
    return complaints.annotate(
        due_at=Subquery(clocks.values("due_at")[:1]),
        at_risk_at=Subquery(clocks.values("at_risk_at")[:1]),
    )


# --- lists for other modules (archive, statistics) ----------------------------------------


def complaints_of_user(user: User) -> QuerySet[Complaint]:
    """The complaints the user made (or that staff registered for them), newest first."""
    return (
        Complaint.objects.filter(complainant=user)
        .select_related("institution", "station", "region")
        .order_by("-received_at", "-id")
    )


def complaints_of_enterprise(enterprise: Enterprise) -> QuerySet[Complaint]:
    """The complaints made on behalf of the enterprise (its quality archive, HM 6)."""
    return (
        Complaint.objects.filter(enterprise=enterprise)
        .select_related("institution", "station", "region")
        .order_by("-received_at", "-id")
    )


# --- what a complaint may name --------------------------------------------------------------


def institution_options() -> list[tuple[int, str]]:
    return list(
        Institution.objects.filter(status__in=COMPLAINABLE_INSTITUTIONS)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


def station_options() -> list[tuple[int, str]]:
    return list(
        Station.objects.filter(status=StationStatus.ACTIVE)
        .order_by("region__path", "name", "pk")
        .values_list("pk", "name")
    )


def complainable_institution(institution_id: int | None) -> Institution | None:
    """The onboarded institution, or None (the service refuses and audits)."""
    if institution_id is None:
        return None
    return (
        Institution.objects.filter(pk=institution_id, status__in=COMPLAINABLE_INSTITUTIONS)
        .select_related("region")
        .first()
    )


def active_station(station_id: int | None) -> Station | None:
    if station_id is None:
        return None
    return (
        Station.objects.filter(pk=station_id, status=StationStatus.ACTIVE)
        .select_related("region")
        .first()
    )


def registering_stations(*, user: User) -> QuerySet[Station]:
    """Active stations at which the staff member may register complaints."""
    scope = authz.station_scope(user, Perm.COMPLAINT_REGISTER)
    if scope.empty:
        return Station.objects.none()
    return (
        Station.objects.filter(scope.q(region="region", station="pk"), status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("region__path", "name", "pk")
    )
