"""Fixtures for the fieldwork tests: a Jiangyin station (and a second one
next door), its scoped staff, Wuxi and Hami center staff, an active
institution with one of its people, a user with a running order, and a clock
pinned to a working Wednesday in 2026 (deadlines use the working-day
calendar)."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant
from onestop.catalog.models import ServiceCategory
from onestop.core import crypto
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.institutions.models import Institution, InstitutionKind, InstitutionStatus, Offering
from onestop.notifications.models import Notification
from onestop.orders.models import Order, OrderStatus
from onestop.stations.models import Station, StationKind, Tier

SH = ZoneInfo("Asia/Shanghai")
# Wednesday 18 November 2026, 10:00 in Shanghai: an ordinary working day.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)


def sh(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def last_code(user: User) -> str:
    """The pick-up code as the user got it (inbox title; the SMS text is the same)."""
    note = Notification.objects.filter(recipient=user, kind="fieldwork.report_ready").latest("id")
    match = re.search(r"(?<!\d)(\d{6})(?!\d)", note.title)
    assert match, note.title
    return match.group(1)


_numbers = iter(range(1, 100_000))


def enterprise_in(region, *, name: str, uscc: str) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        uscc=uscc,
        legal_representative="陈国强",
        address="江阴市澄江中路1号",
        region=region,
        industry="检验检测",
        status=EnterpriseStatus.VERIFIED,
    )


def institution_of(enterprise: Enterprise, *, name: str) -> Institution:
    now = timezone.now()
    return Institution.objects.create(
        enterprise=enterprise,
        name=name,
        kind=InstitutionKind.TESTING_LAB,
        region=enterprise.region,
        address="江阴市澄江中路159号",
        service_phone="0510-86812345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


def make_order(user: User, offering: Offering, *, region, status=OrderStatus.ACCEPTED, **fields):
    return Order.objects.create(
        number=f"DD20261118{next(_numbers):05d}",
        user=user,
        offering=offering,
        institution=offering.institution,
        region=region,
        status=status,
        description="压力表校准 5 只",
        contact_name=fields.pop("contact_name", "周主任"),
        **fields,
    )


def station_in(region, name: str) -> Station:
    return Station.objects.create(
        region=region,
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name=name,
        address="江阴市澄江中路2号",
        person_in_charge="王五",
        services="样品统一接收、报告发放",
        flow="登记→收样→送检→发报告",
    )


@dataclass
class World:
    station: Station
    station2: Station
    hm_station: Station
    staff: User  # works at ``station`` (scoped to it)
    staff2: User  # works at ``station2``
    wx_center: User
    hm_center: User
    authority: User
    institution: Institution
    inst_person: User
    other_institution: Institution
    other_inst_person: User
    offering: Offering
    user: User
    other_user: User
    order: Order
    category: ServiceCategory


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _with_mobile(make_user, role, region, number, **fields) -> User:
    return make_user(
        role,
        region,
        mobile=number,
        mobile_index=crypto.blind_index(number, purpose="mobile"),
        **fields,
    )


def station_staff(make_user, station: Station, name: str) -> User:
    person = make_user(None, None, kind="staff", display_name=name)
    role_grant(
        actor=None, user=person, role=Role.STATION_STAFF, region=station.region, scope=station
    )
    return person


@pytest.fixture
def world(regions, make_user) -> World:
    jiangyin, hami = regions["320281"], regions["650502"]
    station = station_in(jiangyin, "江阴市市场监督管理局服务站")
    station2 = station_in(jiangyin, "江阴高新区服务站")
    hm_station = station_in(hami, "伊州区质量服务站")
    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    lab = enterprise_in(jiangyin, name="江阴市示范计量检测有限公司", uscc="91320281MA1X2Y3W4B")
    other = enterprise_in(
        regions["450200"], name="柳州市检验检测中心有限公司", uscc="91450200MA5K6L7N8N"
    )
    institution = institution_of(lab, name="江阴市示范计量检测所")
    other_institution = institution_of(other, name="柳州市检验检测中心")
    inst_person = make_user("enterprise", "320281", kind="enterprise", display_name="检测所王经理")
    Membership.objects.create(enterprise=lab, user=inst_person, role=MemberRole.OWNER)
    other_inst_person = make_user(
        "enterprise", "450200", kind="enterprise", display_name="柳检李工"
    )
    Membership.objects.create(enterprise=other, user=other_inst_person, role=MemberRole.OWNER)
    offering = Offering.objects.create(
        institution=institution,
        category=category,
        name="压力表校准",
        scope="一般压力表 0–60 MPa",
        turnaround_working_days=5,
    )
    user = _with_mobile(
        make_user, "individual", "320281", "13800138011", kind="individual", display_name="赵先生"
    )
    other_user = _with_mobile(
        make_user, "individual", "320281", "13800138012", kind="individual", display_name="钱女士"
    )
    return World(
        station=station,
        station2=station2,
        hm_station=hm_station,
        staff=station_staff(make_user, station, "服务站周磊"),
        staff2=station_staff(make_user, station2, "高新区站吴敏"),
        wx_center=make_user("center_staff", "320200", kind="staff", display_name="无锡中心陈静"),
        hm_center=make_user("center_staff", "650500", kind="staff", display_name="哈密中心王磊"),
        authority=make_user("authority", "320200", kind="staff", display_name="无锡局易海红"),
        institution=institution,
        inst_person=inst_person,
        other_institution=other_institution,
        other_inst_person=other_inst_person,
        offering=offering,
        user=user,
        other_user=other_user,
        order=make_order(user, offering, region=jiangyin),
        category=category,
    )
