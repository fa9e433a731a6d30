"""Who may see and do what: the one authorisation module.

Every selector and view asks this module; nothing else reads RoleAssignment.
A permission is granted to roles; a role is held over a region subtree (and,
for station and institution staff, over one station or institution). The
answer for "which rows may this user see" is a RegionScope that filters a
queryset by region path in one indexed condition.

Roles never come from the request: forged role parameters are ignored
because there is no code path that reads them.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import Role, RoleAssignment
from onestop.core.errors import PermissionDeniedError
from onestop.regions.models import Region

M = TypeVar("M", bound=Model)


class Perm(enum.StrEnum):
    WORKBENCH_ACCESS = "workbench.access"
    AUDIT_VIEW = "audit.view"
    SLA_VIEW = "sla.view"
    CALENDAR_MANAGE = "calendar.manage"
    DASHBOARD_VIEW = "dashboard.view"
    VERIFICATION_REVIEW = "verification.review"
    PERSONAL_DATA_VIEW = "personal_data.view"
    CATALOG_MANAGE = "catalog.manage"
    STATION_MANAGE = "station.manage"
    INSTITUTION_REVIEW = "institution.review"
    EXPERT_MANAGE = "expert.manage"
    DIRECTORY_IMPORT = "directory.import"
    SEARCH_MANAGE = "search.manage"
    DEMAND_HANDLE = "demand.handle"
    ESCALATION_HANDLE = "escalation.handle"
    ORDER_OVERSEE = "order.oversee"
    FIELDWORK_HANDLE = "fieldwork.handle"
    EVALUATION_REVIEW = "evaluation.review"
    COMPLAINT_REGISTER = "complaint.register"
    COMPLAINT_HANDLE = "complaint.handle"
    SUPERVISE = "supervision.manage"
    STATISTICS_VIEW = "statistics.view"
    STATISTICS_PUBLISH = "statistics.publish"
    SUMMARY_MANAGE = "summary.manage"
    ARCHIVE_VIEW = "archive.view"
    SYSTEM_MONITOR = "system.monitor"


STAFF_ROLES = frozenset(
    {
        Role.INSTITUTION_STAFF,
        Role.EXPERT,
        Role.STATION_STAFF,
        Role.CENTER_STAFF,
        Role.AUTHORITY,
        Role.SYSADMIN,
    }
)

# The whole permission table. Adding a feature adds a Perm and a row here.
GRANTS: dict[Perm, frozenset[Role]] = {
    Perm.WORKBENCH_ACCESS: STAFF_ROLES,
    Perm.AUDIT_VIEW: frozenset({Role.AUTHORITY, Role.SYSADMIN, Role.CENTER_STAFF}),
    Perm.SLA_VIEW: frozenset(
        {Role.STATION_STAFF, Role.CENTER_STAFF, Role.AUTHORITY, Role.SYSADMIN}
    ),
    Perm.CALENDAR_MANAGE: frozenset({Role.SYSADMIN}),
    Perm.DASHBOARD_VIEW: frozenset(
        {Role.STATION_STAFF, Role.CENTER_STAFF, Role.AUTHORITY, Role.SYSADMIN}
    ),
    # Real-name review (WX 7.1.1.5): the service center decides.
    Perm.VERIFICATION_REVIEW: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Unmasked ID and mobile numbers: only those who review them (PIPL, HM 6.3).
    Perm.PERSONAL_DATA_VIEW: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # The service catalog and its operation manual (WX 4.1.1).
    Perm.CATALOG_MANAGE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Offline stations, their disclosure and opening hours (WX 4.2, HM 4.1.1).
    Perm.STATION_MANAGE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Onboarding review, suspension and exit of institutions (WX 7.1.2).
    Perm.INSTITUTION_REVIEW: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # The expert pool and its unmasked contacts (HM 4.1.2.1).
    Perm.EXPERT_MANAGE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Bulk import and export of institutions, offerings, experts, stations (LZ 4.1).
    Perm.DIRECTORY_IMPORT: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # The search synonym list (WX 7.2.1).
    Perm.SEARCH_MANAGE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Registering, responding to and recommending for demands; visits (WX 7.2.2, HM 4.3).
    Perm.DEMAND_HANDLE: frozenset({Role.STATION_STAFF, Role.CENTER_STAFF, Role.SYSADMIN}),
    # What stations escalate lands with the service center (HM 4.3.3.2).
    Perm.ESCALATION_HANDLE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Seeing every order in one's region (supervision in WX App. A).
    Perm.ORDER_OVERSEE: frozenset(
        {Role.STATION_STAFF, Role.CENTER_STAFF, Role.AUTHORITY, Role.SYSADMIN}
    ),
    # Proxy tasks, samples, appointment slots and follow-up visits (WX 5.2, 5.3 b).
    Perm.FIELDWORK_HANDLE: frozenset({Role.STATION_STAFF, Role.CENTER_STAFF, Role.SYSADMIN}),
    # Deciding institutions' appeals against reviews (WX 7.3, HM 5.2).
    Perm.EVALUATION_REVIEW: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Registering complaints received by phone, at a station or by letter (WX 7.4.2).
    Perm.COMPLAINT_REGISTER: frozenset({Role.STATION_STAFF, Role.CENTER_STAFF, Role.SYSADMIN}),
    # Investigating, forwarding and concluding complaints (WX 7.4.3, HM 5.6).
    Perm.COMPLAINT_HANDLE: frozenset({Role.CENTER_STAFF, Role.SYSADMIN}),
    # Corrective actions, reviews of important service items, credit grades (HM 5.1, 5.4).
    Perm.SUPERVISE: frozenset({Role.CENTER_STAFF, Role.AUTHORITY, Role.SYSADMIN}),
    # The statistics dashboard by period and region (WX 8.1.1, HM 5.3).
    Perm.STATISTICS_VIEW: frozenset(
        {Role.STATION_STAFF, Role.CENTER_STAFF, Role.AUTHORITY, Role.SYSADMIN}
    ),
    # Publishing a period's results to the public (WX 8.1.1).
    Perm.STATISTICS_PUBLISH: frozenset({Role.AUTHORITY, Role.CENTER_STAFF, Role.SYSADMIN}),
    # The annual summary and the improvement plan (WX 8.1.3, 8.2).
    Perm.SUMMARY_MANAGE: frozenset({Role.AUTHORITY, Role.CENTER_STAFF, Role.SYSADMIN}),
    # Opening an enterprise's quality archive; each opening is logged (HM 6.3).
    Perm.ARCHIVE_VIEW: frozenset({Role.STATION_STAFF, Role.CENTER_STAFF, Role.SYSADMIN}),
    # Running status, the technical-support queue, the operating rules (WX 4.1.2 c, LZ 6.5.2).
    Perm.SYSTEM_MONITOR: frozenset({Role.SYSADMIN}),
}


# "Every row" as a condition that survives being OR-ed with another: an empty
# Q() is dropped by Django when combined (Q(a) | Q() == Q(a)), which would
# silently narrow a whole-installation scope to the other condition.
EVERYTHING = ~Q(pk__in=[])


class NotAllowed(PermissionDeniedError):
    default_message = _("Your account does not have permission for this page or action.")


def assignments(user: Any) -> list[RoleAssignment]:
    """The user's active role assignments, loaded once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[RoleAssignment] | None = getattr(user, "_onestop_assignments", None)
    if cached is None:
        # Through the related manager, so each assignment's .user is this very
        # object and a revoke can drop its cache (see forget()).
        cached = list(
            user.role_assignments.filter(revoked_at__isnull=True).select_related("region")
        )
        user._onestop_assignments = cached
    return cached


def forget(user: Any) -> None:
    """Drop the cached assignments (after a grant or revoke in the same request)."""
    with contextlib.suppress(AttributeError):
        del user._onestop_assignments


def roles(user: Any) -> set[Role]:
    return {Role(a.role) for a in assignments(user)}


def _granting(user: Any, perm: Perm) -> list[RoleAssignment]:
    allowed = GRANTS[perm]
    return [a for a in assignments(user) if a.role in allowed]


def is_staff(user: Any) -> bool:
    return has_perm(user, Perm.WORKBENCH_ACCESS)


@dataclass(frozen=True)
class RegionScope:
    """The region subtrees in which a permission holds for one user."""

    everywhere: bool
    paths: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.everywhere and not self.paths

    def covers(self, region: Region | None) -> bool:
        if self.everywhere:
            return True
        if region is None:
            return False
        return any(region.path.startswith(path) for path in self.paths)

    def q(self, field: str) -> Q:
        """The condition on ``field`` (a FK to Region); "" filters Region rows themselves."""
        if self.everywhere:
            return EVERYTHING
        if not self.paths:
            return Q(pk__in=[])
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        condition = Q()
        for path in self.paths:
            condition |= Q(**{lookup: path})
        return condition

    def filter(self, queryset: QuerySet[M], field: str) -> QuerySet[M]:
        if self.empty:
            return queryset.none()
        return queryset.filter(self.q(field))


def region_scope(user: Any, perm: Perm) -> RegionScope:
    granting = _granting(user, perm)
    if any(a.region_id is None for a in granting):
        return RegionScope(everywhere=True, paths=())
    paths = sorted({a.region.path for a in granting if a.region is not None})
    # Drop paths already covered by a shorter one.
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return RegionScope(everywhere=False, paths=tuple(kept))


def has_perm(user: Any, perm: Perm, region: Region | None = None) -> bool:
    """Whether the user holds ``perm`` at all, or over ``region`` when given."""
    if region is None:
        return bool(_granting(user, perm))
    return region_scope(user, perm).covers(region)


def require(user: Any, perm: Perm, region: Region | None = None) -> None:
    if not has_perm(user, perm, region):
        raise NotAllowed()


def scoped_ids(user: Any, role: Role, model: type[Model]) -> set[str]:
    """Ids of the stations/institutions (``model``) the user works for in ``role``."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(model)
    return {
        a.scope_id
        for a in assignments(user)
        if a.role == role and a.scope_type_id == content_type.id
    }


def holders(role: Role, scope_obj: Model) -> QuerySet[Any]:
    """Active users holding ``role`` for one station or institution (``scope_obj``)."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(scope_obj)
    held = RoleAssignment.objects.filter(
        role=role,
        scope_type=content_type,
        scope_id=str(scope_obj.pk),
        revoked_at__isnull=True,
    )
    return get_user_model().objects.filter(is_active=True, pk__in=held.values("user_id"))


def holders_over(role: Role, region: Region) -> QuerySet[Any]:
    """Active users holding ``role`` over ``region``: assigned to it, to a
    region above it, or everywhere (no region)."""
    from django.contrib.auth import get_user_model

    codes = [code for code in region.path.split("/") if code]
    held = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True).filter(
        Q(region__code__in=codes) | Q(region__isnull=True)
    )
    return get_user_model().objects.filter(is_active=True, pk__in=held.values("user_id"))


def describe(user: Any) -> str:
    """A short label of the user's roles, for the audit trail."""
    parts: Iterable[str] = (
        f"{a.role}@{a.region.code if a.region is not None else '*'}" for a in assignments(user)
    )
    return ",".join(sorted(parts))[:200]


# --- station scope --------------------------------------------------------------
# A role assignment that is also scoped to one station (station staff working
# at that station) grants its permissions for that station only; assignments
# without a station scope cover every station of their region subtree.


@dataclass(frozen=True)
class StationGrant:
    path: str | None  # region subtree, None for everywhere
    station_id: int | None  # one station, None for every station in the subtree


@dataclass(frozen=True)
class StationScope:
    """Where a permission holds for one user, down to single stations."""

    everywhere: bool
    grants: tuple[StationGrant, ...]

    @property
    def empty(self) -> bool:
        return not self.everywhere and not self.grants

    def q(self, *, region: str, station: str | None) -> Q:
        """The condition on a row whose region is ``region`` (a FK path to a
        Region) and whose station is ``station`` (a FK path to a Station,
        "pk" for Station rows, None when the rows have no station)."""
        if self.everywhere:
            return EVERYTHING
        parts: list[Q] = []
        for grant in self.grants:
            part = Q(**{f"{region}__path__startswith": grant.path}) if grant.path else EVERYTHING
            if grant.station_id is not None:
                if station is None:
                    continue
                part &= Q(**{station: grant.station_id})
            parts.append(part)
        if not parts:
            return Q(pk__in=[])
        return functools.reduce(operator.or_, parts)

    def covers(self, region: Region | None, station_id: int | None) -> bool:
        if self.everywhere:
            return True
        for grant in self.grants:
            if grant.station_id is not None and grant.station_id != station_id:
                continue
            if grant.path is None or (region is not None and region.path.startswith(grant.path)):
                return True
        return False

    def covers_station(self, station: Any) -> bool:
        return self.covers(station.region, station.pk)


def station_scope(user: Any, perm: Perm) -> StationScope:
    """The regions and stations in which ``perm`` holds for ``user``."""
    from django.contrib.contenttypes.models import ContentType

    from onestop.stations.models import Station

    station_type = ContentType.objects.get_for_model(Station).pk
    grants: list[StationGrant] = []
    for assignment in _granting(user, perm):
        station_id: int | None = None
        if assignment.scope_id:
            if assignment.scope_type_id != station_type:
                continue  # scoped to something that is not a station: no station here
            station_id = int(assignment.scope_id)
        path = assignment.region.path if assignment.region is not None else None
        if path is None and station_id is None:
            return StationScope(everywhere=True, grants=())
        grants.append(StationGrant(path=path, station_id=station_id))
    return StationScope(everywhere=False, grants=tuple(grants))
