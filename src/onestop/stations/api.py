"""Stations API under /api/v1/stations/: the public station directory and each
station's disclosure (WX 4.2.4), as on the pages. No login needed."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from onestop.regions.selectors import region_get
from onestop.stations import selectors
from onestop.stations.models import Station

router = Router(tags=["stations"])


class ErrorOut(Schema):
    code: str
    detail: str


class StationOut(Schema):
    id: int
    name: str
    tier: str
    kind: str
    region: str
    address: str
    phone: str
    complaint_phone: str
    parent_id: int | None
    self_service_kiosk: bool


class HoursOut(Schema):
    weekday: int
    opens: dt.time
    closes: dt.time
    kind: str
    note: str


class StationDetailOut(StationOut):
    person_in_charge: str
    organisation: str
    duties_and_rules: str
    services: str
    methods: str
    flow: str
    hours: list[HoursOut]
    children: list[int]


def _out(station: Station) -> dict[str, object]:
    return {
        "id": station.pk,
        "name": station.name,
        "tier": station.tier,
        "kind": station.kind,
        "region": station.region.code,
        "address": station.address,
        "phone": station.phone,
        "complaint_phone": station.complaint_phone,
        "parent_id": station.parent_id,
        "self_service_kiosk": station.self_service_kiosk,
    }


@router.get("/", auth=None, response={200: list[StationOut], 404: ErrorOut})
def station_list(request: HttpRequest, region: str = "") -> list[dict[str, object]]:
    """Active stations serving a region (its own, and those of the regions above it)."""
    where = region_get(code=region) if region else None
    groups = selectors.station_groups_public(region=where)
    return [_out(station) for group in groups for station in group.stations]


@router.get("/{station_id}", auth=None, response={200: StationDetailOut, 404: ErrorOut})
def station_detail(request: HttpRequest, station_id: int) -> dict[str, object]:
    page = selectors.station_page_public(station_id=station_id)
    station = page.station
    return {
        **_out(station),
        "person_in_charge": station.person_in_charge,
        "organisation": station.organisation,
        "duties_and_rules": station.duties_and_rules,
        "services": station.services,
        "methods": station.methods,
        "flow": station.flow,
        "hours": [
            {
                "weekday": block.weekday,
                "opens": block.opens,
                "closes": block.closes,
                "kind": block.kind,
                "note": block.note,
            }
            for day in page.week
            for block in day.blocks
        ],
        "children": [child.pk for child in page.children],
    }
