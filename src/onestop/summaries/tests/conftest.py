"""Summary managers in Liuzhou and Wuxi, two Liuzhou institutions with
offerings, users with completed orders to evaluate, and helpers to submit
evaluations and register complaints by hand; the clock pinned to a working
Wednesday in November 2026 (2025 is over, 2026 is not)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from onestop.accounts.models import User
from onestop.catalog.models import ServiceCategory
from onestop.complaints.models import Channel, Complaint, Target
from onestop.evaluations import services as evaluation_services
from onestop.evaluations.models import Evaluation
from onestop.evaluations.services import evaluations_load_forms
from onestop.evaluations.tests.conftest import FIVE_GOOD, make_institution, make_order
from onestop.institutions.models import Institution, Offering
from onestop.orders.models import Order
from onestop.regions.models import Region
from onestop.stations.models import Station, StationKind, Tier
from onestop.summaries import services
from onestop.summaries.models import AnnualSummary

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)
YEAR = 2026
LAST_YEAR = 2025

_complaints = count(1)


@dataclass
class World:
    liuzhou: Region
    chengzhong: Region
    wuxi: Region
    lz_manager: User
    wx_manager: User
    station_staff: User
    user: User
    lab: Institution
    other_lab: Institution
    calibration: Offering
    testing: Offering
    other_offering: Offering
    station: Station


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def world(regions, make_user) -> World:
    evaluations_load_forms()
    chengzhong = regions["450202"]
    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    lab = make_institution(chengzhong, name="柳州市示范计量检测所", uscc="91450200MA5K6L7N8N")
    other_lab = make_institution(chengzhong, name="柳州市产品质量检验所", uscc="91320281MA1X2Y3W4B")
    return World(
        liuzhou=regions["450200"],
        chengzhong=chengzhong,
        wuxi=regions["320200"],
        lz_manager=make_user("center_staff", "450200", kind="staff", display_name="柳州中心张敏"),
        wx_manager=make_user("authority", "320200", kind="staff", display_name="无锡市局易海红"),
        station_staff=make_user("station_staff", "450200", kind="staff", display_name="站点周磊"),
        user=make_user("individual", "450202", kind="individual", display_name="赵先生"),
        lab=lab,
        other_lab=other_lab,
        calibration=Offering.objects.create(
            institution=lab,
            category=category,
            name="压力表校准",
            scope="一般压力表",
            turnaround_working_days=5,
        ),
        testing=Offering.objects.create(
            institution=lab,
            category=category,
            name="电线电缆检测",
            scope="低压电缆",
            turnaround_working_days=10,
        ),
        other_offering=Offering.objects.create(
            institution=other_lab,
            category=category,
            name="食品检验",
            scope="预包装食品",
            turnaround_working_days=7,
        ),
        station=Station.objects.create(
            region=chengzhong,
            tier=Tier.STATION,
            kind=StationKind.REGULATOR_OR_PARK,
            name="城中区质量服务站",
            address="城中区文昌路1号",
            person_in_charge="王五",
        ),
    )


def answers(**bad: str) -> dict[str, str]:
    """The five-level (v2) answers, all "satisfied" except ``bad``."""
    return {**FIVE_GOOD, **bad}


def evaluate(
    world: World,
    offering: Offering,
    given: dict[str, str] | None = None,
    *,
    comment: str = "",
    proxy: bool = False,
) -> Evaluation:
    """A completed order of ``offering`` evaluated through the real link."""
    order: Order = make_order(world.user, offering, region=world.chengzhong)
    if proxy:
        order.proxy_station = world.station
        order.save(update_fields=["proxy_station"])
    invitation = evaluation_services.evaluation_invite(order=order)
    return evaluation_services.evaluation_submit(
        token=evaluation_services.invitation_token(invitation),
        answers=given or answers(),
        comment=comment,
    )


def complain(
    world: World, *, type: str, content: str, upheld: bool | None = None, satisfaction: str = ""
) -> Complaint:
    return Complaint.objects.create(
        number=f"TS-{YEAR}-{next(_complaints):06d}",
        channel=Channel.PHONE,
        registered_by=world.lz_manager,
        complainant_name="钱女士",
        target=Target.INSTITUTION,
        institution=world.lab,
        region=world.chengzhong,
        type=type,
        content=content,
        request="请尽快处理",
        upheld=upheld,
        satisfaction=satisfaction,
        received_at=timezone.now(),
    )


def add_item(world: World, *, year: int = YEAR, actor: User | None = None, **fields: object):
    values = {
        "problem": "报告出具超时，用户多次催办",
        "measure": "建立报告出具时限提醒，超期自动提示科室负责人",
        "owner": "计量科",
        "due_on": dt.date(year + 1, 3, 31),
    }
    values.update(fields)
    return services.improvement_item_add(
        actor=actor or world.lz_manager, region=world.liuzhou, year=year, **values
    )


def finished(summary: AnnualSummary) -> AnnualSummary:
    summary.refresh_from_db()
    return summary
