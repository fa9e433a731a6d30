"""The public stations API (WX 4.2.4): the same stations and disclosure as the pages."""

from __future__ import annotations

import pytest

from onestop.stations.models import Tier
from onestop.stations.services import opening_hours_set, station_close, station_create
from onestop.stations.tests.conftest import block, details

pytestmark = pytest.mark.django_db


@pytest.fixture
def hami(sysadmin, regions):
    center = station_create(
        actor=sysadmin,
        region=regions["650500"],
        tier=Tier.CENTER,
        details=details(name="哈密市质量基础设施一站式服务中心"),
    )
    station = station_create(
        actor=sysadmin, region=regions["650502"], tier=Tier.STATION, details=details(parent=center)
    )
    opening_hours_set(actor=sysadmin, station=station, hours=[block(0, "10:00", "14:00")])
    return center, station


@pytest.mark.clause("WX 4.2.4")
def test_the_directory_and_a_disclosure_need_no_login(client, hami):
    center, station = hami
    listed = client.get("/api/v1/stations/", {"region": "650502"})
    assert listed.status_code == 200
    assert {row["id"] for row in listed.json()} == {center.pk, station.pk}

    detail = client.get(f"/api/v1/stations/{station.pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["complaint_phone"] == "0902-12315"
    assert body["duties_and_rules"]
    assert body["hours"] == [
        {"weekday": 0, "opens": "10:00:00", "closes": "14:00:00", "kind": "regular", "note": ""}
    ]


def test_closed_and_unknown_stations_are_404(client, hami, sysadmin):
    _center, station = hami
    station_close(actor=sysadmin, station=station, note="撤并")
    assert client.get(f"/api/v1/stations/{station.pk}").status_code == 404
    assert client.get("/api/v1/stations/999999").status_code == 404
    assert station.pk not in {row["id"] for row in client.get("/api/v1/stations/").json()}
    assert client.get("/api/v1/stations/", {"region": "nowhere"}).status_code == 404


def test_the_list_costs_a_fixed_number_of_queries(client, hami, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/stations/")
