"""Which stations' fieldwork a member of staff handles.

Perm.FIELDWORK_HANDLE is held over a region subtree (onestop.accounts.authz).
A role assignment that is also scoped to one station (station staff working
at that station) grants it only for that station: the staff of one station do
not open another station's samples, tasks or follow-ups even in the same
district. Center staff (no station scope) handle every station of their
regions, and the center's own follow-ups (no station).

authz answers "which regions"; this module narrows that answer by the station
scope of the same assignments. It reads assignments only through authz.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from onestop.accounts import authz
from onestop.regions.models import Region
from onestop.stations.models import Station

PERM = authz.Perm.FIELDWORK_HANDLE


@dataclass(frozen=True)
class Grant:
    path: str | None  # region subtree, None for everywhere
    station_id: int | None  # one station, None for every station in the subtree


@dataclass(frozen=True)
class FieldworkScope:
    everywhere: bool
    grants: tuple[Grant, ...]

    @property
    def empty(self) -> bool:
        return not self.everywhere and not self.grants

    def q(self, *, region: str, station: str | None) -> Q:
        """The condition on a row whose region is ``region`` (a FK path to a
        Region) and whose station is ``station`` (a FK path to a Station,
        "pk" for Station rows, None when the rows have no station)."""
        if self.everywhere:
            return Q()
        parts: list[Q] = []
        for grant in self.grants:
            part = Q(**{f"{region}__path__startswith": grant.path}) if grant.path else Q()
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

    def covers_station(self, station: Station) -> bool:
        return self.covers(station.region, station.pk)


def fieldwork_scope(user: Any) -> FieldworkScope:
    station_type = ContentType.objects.get_for_model(Station).pk
    granting = authz.GRANTS[PERM]
    grants: list[Grant] = []
    for assignment in authz.assignments(user):
        if assignment.role not in granting:
            continue
        station_id: int | None = None
        if assignment.scope_id:
            if assignment.scope_type_id != station_type:
                continue  # scoped to something that is not a station: grants nothing here
            station_id = int(assignment.scope_id)
        path = assignment.region.path if assignment.region is not None else None
        if path is None and station_id is None:
            return FieldworkScope(everywhere=True, grants=())
        grants.append(Grant(path=path, station_id=station_id))
    return FieldworkScope(everywhere=False, grants=tuple(grants))


def require_station(user: Any, station: Station) -> None:
    """Perm.FIELDWORK_HANDLE over the station's region, and for this station."""
    authz.require(user, PERM, station.region)
    if not fieldwork_scope(user).covers_station(station):
        raise authz.NotAllowed()
