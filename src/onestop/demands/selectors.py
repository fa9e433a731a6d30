"""Reads of demands, visits and dockings, each through its reader's door:

* the requester sees their own demands (others are "not found");
* staff see what Perm.DEMAND_HANDLE covers in their regions, the service
  center the escalations Perm.ESCALATION_HANDLE covers;
* an institution's people see the demands docked with their institution,
  with the requester's contact (WX 7.2.2.2.2).

Every read is a fixed number of queries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import NotFound
from onestop.core.models import SlaClock
from onestop.core.sla_kinds import sla_kind_label
from onestop.demands import rules
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    RESPONSE_CLOCK,
    Demand,
    DemandEvent,
    DemandStatus,
    Docking,
    Recommendation,
    Visit,
)
from onestop.institutions.models import Institution
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus


class DemandNotFound(NotFound):
    code = "demand_not_found"
    default_message = _("No such demand.")


class VisitNotFound(NotFound):
    code = "visit_not_found"
    default_message = _("No such visit record.")


CLOCK_KINDS = (RESPONSE_CLOCK, RECOMMENDATION_CLOCK)
CLOCK_STATES = ("new", "at_risk", "breached")


# --- who is responsible ------------------------------------------------------------


def stations_serving(region: Region) -> QuerySet[Station]:
    """Active stations whose region holds ``region`` (the district's station,
    the city's service center ...)."""
    codes = [code for code in region.path.split("/") if code]
    return Station.objects.filter(status=StationStatus.ACTIVE, region__code__in=codes)


def station_of(user: Any, region: Region) -> Station | None:
    """The active station the user works at that serves ``region``, if any."""
    ids = authz.scoped_ids(user, Role.STATION_STAFF, Station)
    if not ids:
        return None
    return (
        stations_serving(region)
        .filter(pk__in=[int(pk) for pk in ids if pk.isdigit()])
        .select_related("region")
        .order_by("-region__path")
        .first()
    )


def responsible(demand: Demand) -> list[User]:
    """Who must act on the demand now: the staff member who took it on; else
    the people of its station; else the service-center staff over its region.
    An escalated demand nobody has taken yet lies with the service center."""
    if demand.assigned_to_id is not None:
        user = demand.assigned_to
        return [user] if user is not None and user.is_active else []
    station = demand.station if demand.station_id is not None else None
    if station is not None and demand.escalated_at is None:
        people = list(authz.holders(Role.STATION_STAFF, station))
        if people:
            return people
    return list(authz.holders_over(Role.CENTER_STAFF, demand.region))


# --- the requester ---------------------------------------------------------------------


def demands_of(*, user: User) -> QuerySet[Demand]:
    """The user's own demands, newest first."""
    return Demand.objects.filter(requester=user).select_related("category", "region")


def _detail(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    return demands.select_related(
        "category__parent",
        "region",
        "enterprise",
        "station",
        "assigned_to",
        "registered_by",
        "visit",
        "docking__recommendation__institution",
        "docking__recommendation__offering",
    ).prefetch_related(
        Prefetch("events", queryset=DemandEvent.objects.select_related("actor")),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related(
                "offering__category", "institution__region", "offering__qualification"
            ),
        ),
        "attachments__document",
    )


def demand_for_user(*, user: User, number: str) -> Demand:
    """One of the user's own demands with its history, recommendations and
    attachments (five queries); anything else is "not found"."""
    demand = _detail(Demand.objects.filter(requester=user, number=number)).first()
    if demand is None:
        raise DemandNotFound()
    return demand


# --- staff --------------------------------------------------------------------------------


def _visible(user: Any) -> QuerySet[Demand]:
    scope = authz.region_scope(user, authz.Perm.DEMAND_HANDLE)
    return scope.filter(Demand.objects.all(), "region")


def demand_for_staff(*, user: Any, number: str) -> Demand:
    """A demand in the staff member's regions, with everything its page shows."""
    demand = _detail(_visible(user).filter(number=number)).first()
    if demand is None:
        raise DemandNotFound()
    return demand


def demands_for_staff(*, user: Any, ids: list[int]) -> list[Demand]:
    """The demands among ``ids`` the staff member may see (bulk actions)."""
    return list(_visible(user).filter(pk__in=ids).select_related("region").order_by("pk"))


def _clock_subquery(kind: str, field: str) -> Subquery:
    clocks = SlaClock.objects.filter(
        subject_type=ContentType.objects.get_for_model(Demand),
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
        kind=kind,
        stopped_at__isnull=True,
    )
    return Subquery(clocks.values(field)[:1])


def with_clocks(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    """Annotate the running response and recommendation clocks' deadlines."""
    return demands.annotate(
        response_due=_clock_subquery(RESPONSE_CLOCK, "due_at"),
        response_risk=_clock_subquery(RESPONSE_CLOCK, "at_risk_at"),
        recommendation_due=_clock_subquery(RECOMMENDATION_CLOCK, "due_at"),
        recommendation_risk=_clock_subquery(RECOMMENDATION_CLOCK, "at_risk_at"),
    ).annotate(next_due=Coalesce("response_due", "recommendation_due"))


def _clock_condition(state: str, now: dt.datetime) -> Q:
    breached = Q(response_due__lte=now) | Q(recommendation_due__lte=now)
    at_risk = Q(response_risk__lte=now) | Q(recommendation_risk__lte=now)
    running = Q(response_due__isnull=False) | Q(recommendation_due__isnull=False)
    if state == "breached":
        return breached
    if state == "at_risk":
        return at_risk & ~breached
    return running & ~at_risk & ~breached


@dataclasses.dataclass(frozen=True)
class QueueFilter:
    status: str = ""
    region: Region | None = None
    station: Station | None = None
    clock: str = ""
    assigned: str = ""  # "", "mine", "nobody"


def staff_queue(
    *, user: Any, filters: QueueFilter | None = None, now: dt.datetime | None = None
) -> QuerySet[Demand]:
    """Open demands in the staff member's regions with their clocks, the
    soonest deadline first (WX 7.2.2.2.1)."""
    filters = filters or QueueFilter()
    now = now or timezone.now()
    demands = with_clocks(
        _visible(user).select_related("category", "region", "station", "assigned_to", "enterprise")
    )
    if filters.status:
        demands = demands.filter(status=filters.status)
    else:
        demands = demands.filter(status__in=rules.OPEN_STATUSES)
    if filters.region is not None:
        demands = demands.filter(region__path__startswith=filters.region.path)
    if filters.station is not None:
        demands = demands.filter(station=filters.station)
    if filters.clock in CLOCK_STATES:
        demands = demands.filter(_clock_condition(filters.clock, now))
    if filters.assigned == "mine":
        demands = demands.filter(assigned_to=user)
    elif filters.assigned == "nobody":
        demands = demands.filter(assigned_to__isnull=True)
    return demands.order_by(F("next_due").asc(nulls_last=True), "-created_at", "-id")


def escalation_queue(*, user: Any) -> QuerySet[Demand]:
    """Escalated demands still open in the service center's regions (HM 4.3.3.2)."""
    scope = authz.region_scope(user, authz.Perm.ESCALATION_HANDLE)
    demands = scope.filter(
        Demand.objects.filter(escalated_at__isnull=False, status__in=rules.OPEN_STATUSES),
        "region",
    )
    return with_clocks(
        demands.select_related("category", "region", "station", "assigned_to", "enterprise")
    ).order_by("escalated_at", "id")


@dataclasses.dataclass(frozen=True)
class ClockView:
    """One running clock as the workbench shows it: which obligation, when due,
    and whether it is in time, at risk or breached."""

    kind: str
    label: str
    due_at: dt.datetime
    state: str


def clock_views(demand: Demand, now: dt.datetime | None = None) -> list[ClockView]:
    """The running clocks of a demand annotated by ``with_clocks``."""
    now = now or timezone.now()
    views = []
    for kind, due, risk in (
        (RESPONSE_CLOCK, "response_due", "response_risk"),
        (RECOMMENDATION_CLOCK, "recommendation_due", "recommendation_risk"),
    ):
        due_at = getattr(demand, due, None)
        if due_at is None:
            continue
        at_risk_at = getattr(demand, risk, None)
        if due_at <= now:
            state = "breached"
        elif at_risk_at is not None and at_risk_at <= now:
            state = "at_risk"
        else:
            state = "new"
        views.append(ClockView(kind=kind, label=sla_kind_label(kind), due_at=due_at, state=state))
    return views


def clocks_of(demand: Demand) -> list[SlaClock]:
    """Every clock of the demand, running or stopped (for its page)."""
    return list(
        SlaClock.objects.filter(
            subject_type=ContentType.objects.get_for_model(Demand),
            subject_id=str(demand.pk),
        ).order_by("started_at", "id")
    )


def scope_regions(user: Any, perm: authz.Perm = authz.Perm.DEMAND_HANDLE) -> QuerySet[Region]:
    """Regions (and their subtrees) where the user holds ``perm``, for filters."""
    scope = authz.region_scope(user, perm)
    return scope.filter(Region.objects.order_by("path"), "")


def stations_in_scope(user: Any) -> QuerySet[Station]:
    """Active stations in the user's demand-handling regions."""
    scope = authz.region_scope(user, authz.Perm.DEMAND_HANDLE)
    return scope.filter(
        Station.objects.filter(status=StationStatus.ACTIVE).select_related("region"), "region"
    ).order_by("region__path", "name")


def visit_stations(user: Any) -> QuerySet[Station]:
    """Stations the user may record visits for: their own, or (service-center
    staff) every active station in their regions."""
    stations = stations_in_scope(user)
    center = authz.region_scope(user, authz.Perm.ESCALATION_HANDLE)
    own = [int(pk) for pk in authz.scoped_ids(user, Role.STATION_STAFF, Station) if pk.isdigit()]
    if center.empty:
        return stations.filter(pk__in=own)
    return stations.filter(center.q("region") | Q(pk__in=own))


MAX_ASSIGNABLE_STATIONS = 200


def assignable_staff(user: Any) -> QuerySet[User]:
    """People demands can be assigned to from this user's workbench: the staff
    of the stations in their regions and the service-center staff over them.
    One query, however many stations (the per-station sets are OR-ed)."""
    stations = list(stations_in_scope(user)[:MAX_ASSIGNABLE_STATIONS])
    sets: list[QuerySet[User]] = [authz.holders(Role.STATION_STAFF, s) for s in stations]
    scope = authz.region_scope(user, authz.Perm.DEMAND_HANDLE)
    if not scope.everywhere:
        for region in Region.objects.filter(path__in=scope.paths):
            sets.append(authz.holders_over(Role.CENTER_STAFF, region))
    if not sets:
        return User.objects.none()
    return reduce(or_, sets).distinct().order_by("display_name", "username")


# --- visits ---------------------------------------------------------------------------------


def visits_for(*, user: Any, station: Station | None = None) -> QuerySet[Visit]:
    scope = authz.region_scope(user, authz.Perm.DEMAND_HANDLE)
    visits = scope.filter(
        Visit.objects.select_related("station__region", "enterprise", "recorded_by"),
        "station__region",
    )
    if station is not None:
        visits = visits.filter(station=station)
    return visits.prefetch_related("staff").order_by("-visited_on", "-id")


def visit_for_staff(*, user: Any, visit_id: int) -> Visit:
    visit = (
        visits_for(user=user)
        .prefetch_related(
            Prefetch(
                "demands",
                queryset=Demand.objects.select_related("category").order_by("created_at"),
            )
        )
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise VisitNotFound()
    return visit


# --- the institution's side ------------------------------------------------------------


def dockings_for_institution(*, institution: Institution) -> QuerySet[Docking]:
    """Demands docked with the institution, newest first (WX 7.2.2.2.2); the
    caller found the institution through ``institution_for_user``."""
    return (
        Docking.objects.filter(recommendation__institution=institution)
        .select_related(
            "demand__category",
            "demand__region",
            "demand__enterprise",
            "demand__requester",
            "recommendation__offering",
        )
        .order_by("-created_at", "-id")
    )


def is_closed(demand: Demand) -> bool:
    return demand.status in (DemandStatus.CLOSED, DemandStatus.CANCELLED)
