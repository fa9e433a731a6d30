import pytest

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.stations import selectors
from onestop.stations.models import Tier
from onestop.stations.services import station_close, station_create
from onestop.stations.tests.conftest import details


@pytest.mark.clause("HM 4.1.1.1")
def test_public_list_groups_by_tier_and_includes_the_city_center_for_a_district(
    hm_staff, hm_center, hm_station, regions
):
    point = station_create(
        actor=hm_staff,
        region=regions["650502"],
        tier=Tier.POINT,
        details=details(name="伊州区服务网点", parent=hm_station),
    )
    # when a visitor of 伊州区 looks, then the city's center serves them too
    groups = selectors.station_groups_public(region=regions["650502"])

    assert [(g.tier, [s.pk for s in g.stations]) for g in groups] == [
        (Tier.CENTER, [hm_center.pk]),
        (Tier.STATION, [hm_station.pk]),
        (Tier.POINT, [point.pk]),
    ]
    # and a neighbouring county does not see 伊州区's station
    other = selectors.station_groups_public(region=regions["650522"])
    assert [g.tier for g in other] == [Tier.CENTER]


def test_closed_stations_are_not_public(hm_staff, hm_station):
    station_close(actor=hm_staff, station=hm_station)

    assert selectors.station_groups_public(region=hm_station.region)[0].tier == Tier.CENTER
    with pytest.raises(selectors.StationNotFound):
        selectors.station_page_public(station_id=hm_station.pk)


def test_managed_stations_follow_the_region_scope(hm_center, wx_staff, hm_staff):
    assert list(selectors.stations_managed(user=hm_staff)) == [hm_center]
    assert list(selectors.stations_managed(user=wx_staff)) == []
    with pytest.raises(selectors.StationNotFound):
        selectors.station_get_managed(user=wx_staff, station_id=hm_center.pk)


def test_station_staff_of_lists_current_holders_only(make_user, hm_station, hm_center, regions):
    from onestop.accounts.services import role_revoke

    ayi = make_user(kind="staff", display_name="阿依古丽")
    bob = make_user(kind="staff", display_name="包勇")
    elsewhere = make_user(kind="staff", display_name="他站人员")
    for user, scope in ((ayi, hm_station), (bob, hm_station), (elsewhere, hm_center)):
        role_grant(
            actor=None, user=user, role=Role.STATION_STAFF, region=regions["650502"], scope=scope
        )
    gone = bob.role_assignments.get()
    role_revoke(actor=ayi, assignment=gone)

    assert selectors.station_staff_of(hm_station) == [ayi]
