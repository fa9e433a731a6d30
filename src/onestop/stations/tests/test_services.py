import pytest

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.stations.models import HoursKind, OpeningHours, StationKind, StationStatus, Tier
from onestop.stations.naming import InvalidStationName
from onestop.stations.services import (
    opening_hours_set,
    station_close,
    station_create,
    station_update,
)
from onestop.stations.tests.conftest import LZ_NAME, block, details

# --- hierarchy (HM 4.1.1.1) ---------------------------------------------------


@pytest.mark.clause("HM 4.1.1.1")
def test_center_station_point_chain_is_built_and_audited(hm_staff, hm_center, regions):
    # given a Hami center, when a station and a point are opened under it
    station = station_create(
        actor=hm_staff,
        region=regions["650502"],
        tier=Tier.STATION,
        details=details(parent=hm_center),
    )
    point = station_create(
        actor=hm_staff,
        region=regions["650502"],
        tier=Tier.POINT,
        details=details(name="伊州区示范企业服务网点", kind=StationKind.ENTERPRISE, parent=station),
    )

    # then they hang together and each opening is in the audit trail
    assert point.parent == station
    assert station.parent == hm_center
    actions = AuditEvent.objects.filter(action="stations.station_create")
    assert {e.object_id for e in actions} == {str(hm_center.pk), str(station.pk), str(point.pk)}


@pytest.mark.clause("HM 4.1.1.1")
def test_hami_station_needs_a_center_and_a_point_needs_a_parent(hm_staff, regions):
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=hm_staff, region=regions["650502"], tier=Tier.STATION, details=details()
        )
    assert caught.value.field == "parent"

    with pytest.raises(InvalidInput) as caught:
        station_create(actor=hm_staff, region=regions["650502"], tier=Tier.POINT, details=details())
    assert caught.value.field == "parent"


@pytest.mark.clause("HM 4.1.1.1")
def test_tiers_only_nest_downwards(hm_staff, hm_center, hm_station, regions):
    # a center has no parent
    with pytest.raises(InvalidInput):
        station_create(
            actor=hm_staff,
            region=regions["650500"],
            tier=Tier.CENTER,
            details=details(name="第二中心", parent=hm_center),
        )
    # a station cannot hang under a station
    with pytest.raises(InvalidInput):
        station_create(
            actor=hm_staff,
            region=regions["650502"],
            tier=Tier.STATION,
            details=details(name="下级服务站", parent=hm_station),
        )
    # a point may hang directly under a center
    point = station_create(
        actor=hm_staff,
        region=regions["650522"],
        tier=Tier.POINT,
        details=details(name="伊吾县淖毛湖服务网点", parent=hm_center),
    )
    assert point.parent == hm_center


def test_parent_must_serve_the_child_region(hm_staff, hm_station, regions):
    # given a station in 伊州区, when a point in 伊吾县 is put under it, then refused
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=hm_staff,
            region=regions["650522"],
            tier=Tier.POINT,
            details=details(name="伊吾县服务网点", parent=hm_station),
        )
    assert caught.value.field == "parent"


def test_a_closed_parent_takes_no_children_and_parents_close_last(hm_staff, hm_center, hm_station):
    with pytest.raises(InvalidTransition):
        station_close(actor=hm_staff, station=hm_center)

    station_close(actor=hm_staff, station=hm_station)
    station_close(actor=hm_staff, station=hm_center)

    hm_center.refresh_from_db()
    assert hm_center.status == StationStatus.CLOSED
    with pytest.raises(InvalidTransition):
        station_close(actor=hm_staff, station=hm_center)
    with pytest.raises(InvalidTransition):
        station_update(actor=hm_staff, station=hm_center, details=details(name="改名"))


def test_a_station_cannot_belong_to_itself(hm_staff, hm_center):
    with pytest.raises(InvalidInput):
        station_update(actor=hm_staff, station=hm_center, details=details(parent=hm_center))


# --- required content -------------------------------------------------------------


@pytest.mark.clause("HM 4.1.2.2")
@pytest.mark.parametrize("tier", [Tier.STATION, Tier.POINT])
def test_stations_and_points_need_a_person_in_charge(hm_staff, hm_center, regions, tier):
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=hm_staff,
            region=regions["650502"],
            tier=tier,
            details=details(parent=hm_center, person_in_charge="   "),
        )
    assert caught.value.field == "person_in_charge"


@pytest.mark.clause("HM 4.1.1.2")
@pytest.mark.parametrize("missing", ["services", "flow"])
def test_a_service_center_must_publish_its_services_and_flow(hm_staff, regions, missing):
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=hm_staff,
            region=regions["650500"],
            tier=Tier.CENTER,
            details=details(name="哈密市服务中心", **{missing: ""}),
        )
    assert caught.value.field == missing


@pytest.mark.clause("WX 4.2.4")
@pytest.mark.parametrize(
    "missing",
    ["organisation", "duties_and_rules", "services", "methods", "flow", "complaint_phone"],
)
def test_wuxi_stations_must_disclose_every_item(wx_staff, regions, missing):
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=wx_staff,
            region=regions["320281"],
            tier=Tier.STATION,
            details=details(name="江阴市市场监督管理局服务站", **{missing: ""}),
        )
    assert caught.value.field == missing


def test_phone_numbers_are_checked(wx_staff, regions):
    with pytest.raises(InvalidInput) as caught:
        station_create(
            actor=wx_staff,
            region=regions["320281"],
            tier=Tier.STATION,
            details=details(complaint_phone="call us"),
        )
    assert caught.value.field == "complaint_phone"


# --- naming (LZ 6.3.1) ----------------------------------------------------------------


@pytest.mark.clause("LZ 6.3.1")
def test_liuzhou_station_names_follow_the_standard_form(lz_staff, regions):
    with pytest.raises(InvalidStationName):
        station_create(
            actor=lz_staff,
            region=regions["450205"],
            tier=Tier.STATION,
            details=details(name="柳北区服务站"),
        )
    station = station_create(
        actor=lz_staff, region=regions["450205"], tier=Tier.STATION, details=details(name=LZ_NAME)
    )
    with pytest.raises(InvalidStationName):
        station_update(actor=lz_staff, station=station, details=details(name="柳北区服务站"))


def test_active_names_are_unique_in_a_region_but_a_closed_name_can_return(wx_staff, regions):
    region = regions["320281"]
    first = station_create(actor=wx_staff, region=region, tier=Tier.STATION, details=details())
    with pytest.raises(InvalidInput) as caught:
        station_create(actor=wx_staff, region=region, tier=Tier.STATION, details=details())
    assert caught.value.field == "name"

    station_close(actor=wx_staff, station=first)
    again = station_create(actor=wx_staff, region=region, tier=Tier.STATION, details=details())
    assert again.pk != first.pk


def test_update_records_what_changed(wx_staff, regions):
    station = station_create(
        actor=wx_staff, region=regions["320281"], tier=Tier.STATION, details=details()
    )
    station_update(
        actor=wx_staff,
        station=station,
        details=details(person_in_charge="陈国强", self_service_kiosk=True),
    )
    event = AuditEvent.objects.filter(action="stations.station_update").get()
    assert event.changes == {
        "person_in_charge": ["王海军", "陈国强"],
        "self_service_kiosk": [False, True],
    }


# --- permissions ---------------------------------------------------------------------


def test_center_staff_of_another_city_cannot_manage(wx_staff, hm_center, regions):
    with pytest.raises(NotAllowed):
        station_update(actor=wx_staff, station=hm_center, details=details())
    with pytest.raises(NotAllowed):
        station_create(
            actor=wx_staff, region=regions["650502"], tier=Tier.STATION, details=details()
        )
    with pytest.raises(NotAllowed):
        opening_hours_set(actor=wx_staff, station=hm_center, hours=[])


def test_station_staff_cannot_manage_their_own_station(make_user, hm_station, regions):
    from onestop.accounts.models import Role
    from onestop.accounts.services import role_grant

    worker = make_user(kind="staff")
    role_grant(
        actor=None, user=worker, role=Role.STATION_STAFF, region=regions["650502"], scope=hm_station
    )
    with pytest.raises(NotAllowed):
        station_update(actor=worker, station=hm_station, details=details())
    with pytest.raises(NotAllowed):
        station_close(actor=worker, station=hm_station)


def test_sysadmin_manages_everywhere(sysadmin, regions):
    station = station_create(
        actor=sysadmin, region=regions["320281"], tier=Tier.STATION, details=details()
    )
    assert station.pk


# --- opening hours (WX 5.3 d) ---------------------------------------------------------


@pytest.mark.clause("WX 5.3d")
def test_extended_and_staggered_hours_are_kept_as_data(wx_staff, regions):
    station = station_create(
        actor=wx_staff, region=regions["320281"], tier=Tier.STATION, details=details()
    )
    opening_hours_set(
        actor=wx_staff,
        station=station,
        hours=[
            block(0, "14:30", "17:30"),
            block(0, "08:30", "12:00"),
            block(0, "07:30", "08:30", HoursKind.STAGGERED, "错时服务"),
            block(5, "09:00", "12:00", HoursKind.EXTENDED, "周六延时服务"),
        ],
    )
    rows = list(OpeningHours.objects.filter(station=station))
    assert [(r.weekday, r.opens.strftime("%H:%M"), r.kind) for r in rows] == [
        (0, "07:30", "staggered"),
        (0, "08:30", "regular"),
        (0, "14:30", "regular"),
        (5, "09:00", "extended"),
    ]
    # replacing keeps nothing of the old week
    opening_hours_set(actor=wx_staff, station=station, hours=[block(1, "09:00", "10:00")])
    assert OpeningHours.objects.filter(station=station).count() == 1
    assert AuditEvent.objects.filter(action="stations.opening_hours_set").count() == 2


@pytest.mark.parametrize(
    "hours",
    [
        [block(7, "09:00", "10:00")],
        [block(0, "10:00", "09:00")],
        [block(0, "09:00", "12:00"), block(0, "11:00", "13:00")],
        [block(0, "09:00", "10:00", "night")],
    ],
)
def test_bad_hours_are_refused(wx_staff, regions, hours):
    station = station_create(
        actor=wx_staff, region=regions["320281"], tier=Tier.STATION, details=details()
    )
    with pytest.raises(InvalidInput):
        opening_hours_set(actor=wx_staff, station=station, hours=hours)
