import pytest

from onestop.regions.models import Profile
from onestop.regions.selectors import region_profiles
from onestop.stations.demo import stations_demo_load
from onestop.stations.models import HoursKind, Station, StationKind, Tier
from onestop.stations.naming import clean_station_name


@pytest.mark.clause("LZ 6.3.1")
@pytest.mark.clause("HM 4.1.1.1")
def test_demo_covers_the_three_profiles_and_loads_once(sysadmin):
    stations = stations_demo_load(actor=sysadmin)
    again = stations_demo_load(actor=sysadmin)

    assert len(stations) >= 15
    assert Station.objects.count() == len(stations) == len(again)
    profiles = region_profiles([s.region for s in stations])
    for station in stations:
        if profiles[station.region.code] == Profile.LZ:
            clean_station_name(station.name, profile=Profile.LZ)
    hami = [s for s in stations if profiles[s.region.code] == Profile.HM]
    assert {s.tier for s in hami} == {Tier.CENTER, Tier.STATION, Tier.POINT}
    wuxi = [s for s in stations if profiles[s.region.code] == Profile.WX]
    assert {s.kind for s in wuxi} == set(StationKind.values)
    assert Station.objects.filter(
        name="江阴市市场监督管理局服务站",
        opening_hours__weekday=5,
        opening_hours__kind=HoursKind.EXTENDED,
    ).exists()
