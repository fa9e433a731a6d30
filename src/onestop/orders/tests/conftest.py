"""Fixtures for the orders tests: an active institution with an offering in
Jiangyin, verified customers, institution people and staff of several
regions, and a clock pinned to a Wednesday in 2026 (deadlines are computed
on the working-day calendar, which must cover them)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from onestop.catalog.models import ServiceCategory
from onestop.core import crypto
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.orders import services
from onestop.stations.models import Station, StationKind, Tier
from onestop.verification.models import Identity

SH = ZoneInfo("Asia/Shanghai")
# Wednesday 18 November 2026, 10:00 in Shanghai: an ordinary working day.
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)


def sh(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


def png(name: str = "report.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 90, 200)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


_ids = iter(range(1, 100_000))


def verify(user) -> None:
    """Real-name verification passed (what verification's approval records)."""
    number = f"32028119900101{next(_ids):04d}"
    Identity.objects.create(
        user=user,
        real_name="张三",
        id_number=number,
        id_index=crypto.blind_index(number, purpose="id_number"),
        verified_at=timezone.now(),
    )


def enterprise_in(region, *, name: str, uscc: str, status=EnterpriseStatus.VERIFIED) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        uscc=uscc,
        legal_representative="陈国强",
        address="江阴市澄江中路1号",
        region=region,
        industry="制造业",
        status=status,
    )


def join(user, enterprise, role=MemberRole.MEMBER) -> Membership:
    return Membership.objects.create(enterprise=enterprise, user=user, role=role)


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def category(db):
    testing = ServiceCategory.objects.create(code="testing", name="检验检测", position=4)
    return ServiceCategory.objects.create(
        code="testing-services", name="检验检测服务", parent=testing, position=1
    )


@pytest.fixture
def lab_enterprise(regions):
    return enterprise_in(
        regions["320281"], name="江阴市示范计量检测有限公司", uscc="91320281MA1X2Y3W4B"
    )


@pytest.fixture
def institution(lab_enterprise, regions):
    now = timezone.now()
    return Institution.objects.create(
        enterprise=lab_enterprise,
        name="江阴市示范计量检测所",
        kind=InstitutionKind.TESTING_LAB,
        region=regions["320281"],
        address="江阴市澄江中路159号",
        service_phone="0510-86812345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


@pytest.fixture
def lab_owner(make_user, lab_enterprise):
    user = make_user("enterprise", "320281", kind="enterprise", display_name="检测所王经理")
    join(user, lab_enterprise, MemberRole.OWNER)
    return user


@pytest.fixture
def lab_member(make_user, lab_enterprise, lab_owner):
    user = make_user("enterprise", "320281", kind="enterprise", display_name="检测所李工")
    join(user, lab_enterprise)
    return user


@pytest.fixture
def cma(institution):
    return Qualification.objects.create(
        institution=institution,
        kind=QualificationKind.CMA,
        number="241012340567",
        scope="压力表校准",
        issuer="江苏省市场监督管理局",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2028, 12, 31),
    )


@pytest.fixture
def offering(institution, category, cma):
    return Offering.objects.create(
        institution=institution,
        category=category,
        name="压力表校准",
        scope="0-60MPa 一般压力表，依据 JJG 52-2013",
        qualification=cma,
        price_min=Decimal("80"),
        price_max=Decimal("150"),
        turnaround_working_days=5,
    )


@pytest.fixture
def customer(make_user, regions):
    """A real-name verified individual in Jiangyin."""
    user = make_user("individual", "320281", kind="individual", display_name="赵先生")
    verify(user)
    return user


@pytest.fixture
def buyer_enterprise(regions):
    return enterprise_in(
        regions["320281"], name="江阴示范精密机械有限公司", uscc="91320281MA1X2Y3W5E"
    )


@pytest.fixture
def buyer(make_user, buyer_enterprise):
    """An enterprise account acting for a verified enterprise (no real-name check)."""
    user = make_user("enterprise", "320281", kind="enterprise", display_name="周主任")
    join(user, buyer_enterprise, MemberRole.OWNER)
    return user


@pytest.fixture
def colleague(make_user, buyer_enterprise, buyer):
    user = make_user("enterprise", "320281", kind="enterprise", display_name="周主任同事")
    join(user, buyer_enterprise)
    return user


@pytest.fixture
def stranger(make_user, regions):
    """Another verified individual, in Liuzhou."""
    user = make_user("individual", "450202", kind="individual", display_name="孙先生")
    verify(user)
    return user


@pytest.fixture
def unverified(make_user, regions):
    return make_user("individual", "320281", kind="individual", display_name="钱女士")


@pytest.fixture
def wx_center(make_user, regions):
    return make_user("center_staff", "320200", kind="staff", display_name="无锡中心小吴")


@pytest.fixture
def jy_station_staff(make_user, regions):
    return make_user("station_staff", "320281", kind="staff", display_name="江阴站小陈")


@pytest.fixture
def wx_authority(make_user, regions):
    return make_user("authority", "320200", kind="staff", display_name="无锡市局")


@pytest.fixture
def lz_center(make_user, regions):
    return make_user("center_staff", "450200", kind="staff", display_name="柳州中心小刘")


@pytest.fixture
def station(regions):
    return Station.objects.create(
        region=regions["320281"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="江阴市市场监督管理局服务站",
        address="江阴市澄江中路1号",
        person_in_charge="陈国强",
    )


@pytest.fixture
def place(offering):
    """place(user, **overrides) -> a submitted order for the offering."""
    counter = iter(range(1, 10_000))

    def _place(user, **overrides):
        values = {
            "user": user,
            "offering": offering,
            "description": f"校准一般压力表 {next(counter)} 只，请出具校准证书。",
            "contact_name": "赵先生",
        }
        values.update(overrides)
        return services.order_place(**values)

    return _place


@pytest.fixture
def order(place, customer):
    return place(customer)
