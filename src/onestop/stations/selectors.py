"""Reads of stations. Public pages see active stations only; the workbench
sees what Perm.STATION_MANAGE covers. Each read is a fixed number of queries."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role
from onestop.core.errors import NotFound
from onestop.regions.models import Region
from onestop.regions.selectors import region_profiles
from onestop.stations.models import (
    TIER_ORDER,
    OpeningHours,
    Station,
    StationStatus,
    Tier,
)


class StationNotFound(NotFound):
    code = "station_not_found"
    default_message = _("No such station.")


@dataclasses.dataclass(frozen=True)
class TierGroup:
    tier: Tier
    stations: list[Station]


def _active() -> QuerySet[Station]:
    return Station.objects.filter(status=StationStatus.ACTIVE)


def _serving(region: Region) -> Q:
    """Stations in the region's subtree, and those of the regions above it
    (a city's service center also serves its districts)."""
    above = [code for code in region.path.split("/") if code and code != region.code]
    return Q(region__path__startswith=region.path) | Q(region__code__in=above)


def station_groups_public(*, region: Region | None, today: int | None = None) -> list[TierGroup]:
    """Active stations serving ``region`` grouped by tier, each with today's
    hours in ``today_hours``: two queries however many stations there are."""
    weekday = timezone.localdate().weekday() if today is None else today
    stations = _active().select_related("region", "parent")
    if region is not None:
        stations = stations.filter(_serving(region))
    stations = stations.prefetch_related(
        Prefetch(
            "opening_hours",
            queryset=OpeningHours.objects.filter(weekday=weekday),
            to_attr="today_hours",
        )
    ).order_by("region__path", "name")
    by_tier: dict[str, list[Station]] = {tier: [] for tier in TIER_ORDER}
    for station in stations:
        by_tier[station.tier].append(station)
    return [TierGroup(tier=tier, stations=by_tier[tier]) for tier in TIER_ORDER if by_tier[tier]]


@dataclasses.dataclass(frozen=True)
class DayHours:
    weekday: int
    is_today: bool
    blocks: list[OpeningHours]


@dataclasses.dataclass(frozen=True)
class StationPage:
    station: Station
    profile: str
    children: list[Station]
    week: list[DayHours]


def station_page_public(*, station_id: int, today: int | None = None) -> StationPage:
    """One active station's disclosure page data (WX 4.2.4), in four queries."""
    station = (
        _active()
        .select_related("region", "parent")
        .prefetch_related(
            Prefetch(
                "children", queryset=_active().order_by("tier", "name"), to_attr="open_children"
            ),
            "opening_hours",
        )
        .filter(pk=station_id)
        .first()
    )
    if station is None:
        raise StationNotFound()
    weekday = timezone.localdate().weekday() if today is None else today
    hours: dict[int, list[OpeningHours]] = {day: [] for day in range(7)}
    for block in station.opening_hours.all():
        hours[block.weekday].append(block)
    week = [DayHours(weekday=d, is_today=d == weekday, blocks=hours[d]) for d in range(7)]
    profile = region_profiles([station.region])[station.region.code]
    children: list[Station] = station.open_children
    return StationPage(station=station, profile=profile, children=children, week=week)


def stations_managed(*, user: Any) -> QuerySet[Station]:
    """Every station (closed ones too) in the regions where the user manages stations."""
    scope = authz.region_scope(user, authz.Perm.STATION_MANAGE)
    return scope.filter(
        Station.objects.select_related("region", "parent").order_by("region__path", "tier", "name"),
        "region",
    )


def station_get_managed(*, user: Any, station_id: int) -> Station:
    """A station the user may manage; others are "not found", not "forbidden",
    so ids outside the user's regions reveal nothing."""
    station = stations_managed(user=user).filter(pk=station_id).first()
    if station is None:
        raise StationNotFound()
    return station


def parent_candidates() -> QuerySet[Station]:
    """Active centers and stations, the only things a station can hang under."""
    return (
        _active()
        .filter(tier__in=[Tier.CENTER, Tier.STATION])
        .select_related("region")
        .order_by("region__path", "tier", "name")
    )


def station_staff_of(station: Station) -> list[Any]:
    """The people working this station (role station_staff scoped to it)."""
    return list(authz.holders(Role.STATION_STAFF, station).order_by("display_name"))


def opening_hours_of(station: Station) -> list[OpeningHours]:
    return list(station.opening_hours.all())
