"""Which stations' fieldwork a member of staff handles.

Perm.FIELDWORK_HANDLE is held over a region subtree (onestop.accounts.authz).
A role assignment that is also scoped to one station (station staff working
at that station) grants it only for that station: the staff of one station do
not open another station's samples, tasks or follow-ups even in the same
district. Center staff (no station scope) handle every station of their
regions, and the center's own follow-ups (no station).

The computation is authz.station_scope (the one authorisation module); this
module names it for fieldwork.
"""

from __future__ import annotations

from typing import Any

from onestop.accounts import authz
from onestop.stations.models import Station

PERM = authz.Perm.FIELDWORK_HANDLE


def fieldwork_scope(user: Any) -> authz.StationScope:
    return authz.station_scope(user, PERM)


def require_station(user: Any, station: Station) -> None:
    """Perm.FIELDWORK_HANDLE over the station's region, and for this station."""
    authz.require(user, PERM, station.region)
    if not fieldwork_scope(user).covers_station(station):
        raise authz.NotAllowed()
