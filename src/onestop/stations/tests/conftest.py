import datetime as dt

import pytest

from onestop.stations.models import StationKind, Tier
from onestop.stations.services import HoursBlock, StationDetails, station_create

LZ_NAME = "柳州市柳北区质量服务“一站式”平台"


def details(**overrides) -> StationDetails:
    values = {
        "name": "伊州区质量基础设施一站式服务站",
        "kind": StationKind.REGULATOR_OR_PARK,
        "address": "示范路1号",
        "person_in_charge": "王海军",
        "phone": "0902-2312345",
        "complaint_phone": "0902-12315",
        "organisation": "市场监督管理局设站",
        "duties_and_rules": "岗位职责；服务投诉及反馈处理",
        "services": "检验检测需求登记",
        "methods": "窗口受理",
        "flow": "登记→匹配→服务→回访",
    }
    values.update(overrides)
    return StationDetails(**values)


def block(day: int, opens: str, closes: str, kind: str = "regular", note: str = "") -> HoursBlock:
    return HoursBlock(day, dt.time.fromisoformat(opens), dt.time.fromisoformat(closes), kind, note)


@pytest.fixture
def sysadmin(make_user, regions):
    return make_user("sysadmin", None, kind="staff")


@pytest.fixture
def lz_staff(make_user, regions):
    return make_user("center_staff", "450200", kind="staff")


@pytest.fixture
def hm_staff(make_user, regions):
    return make_user("center_staff", "650500", kind="staff")


@pytest.fixture
def wx_staff(make_user, regions):
    return make_user("center_staff", "320200", kind="staff")


@pytest.fixture
def hm_center(hm_staff, regions):
    return station_create(
        actor=hm_staff,
        region=regions["650500"],
        tier=Tier.CENTER,
        details=details(name="哈密市质量基础设施一站式服务中心", kind=StationKind.INSTITUTION),
    )


@pytest.fixture
def hm_station(hm_staff, hm_center, regions):
    return station_create(
        actor=hm_staff,
        region=regions["650502"],
        tier=Tier.STATION,
        details=details(parent=hm_center),
    )
