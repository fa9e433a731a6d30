"""Who handles which station's fieldwork."""

from __future__ import annotations

from onestop.fieldwork import selectors
from onestop.fieldwork.scope import fieldwork_scope


def test_station_staff_handle_their_own_station_only(world):
    scope = fieldwork_scope(world.staff)

    assert scope.covers_station(world.station)
    assert not scope.covers_station(world.station2)
    assert not scope.covers_station(world.hm_station)
    assert list(selectors.stations_handled(user=world.staff)) == [world.station]


def test_center_staff_handle_every_station_of_their_regions(world):
    handled = set(selectors.stations_handled(user=world.wx_center))

    assert handled == {world.station, world.station2}
    assert fieldwork_scope(world.wx_center).covers(world.station.region, None)
    assert list(selectors.stations_handled(user=world.hm_center)) == [world.hm_station]


def test_others_handle_nothing(world, make_user):
    for person in (world.authority, world.user, world.inst_person):
        scope = fieldwork_scope(person)
        assert scope.empty
        assert not selectors.stations_handled(user=person).exists()
    admin = make_user("sysadmin", None, kind="staff")
    assert fieldwork_scope(admin).everywhere


def test_unscoped_station_staff_handle_the_stations_of_their_region(world, make_user):
    # an older grant without a station: the whole district, like a small center
    person = make_user("station_staff", "320281", kind="staff")

    assert set(selectors.stations_handled(user=person)) == {world.station, world.station2}
