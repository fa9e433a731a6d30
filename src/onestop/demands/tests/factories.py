"""Small builders for the demand tests: verified people, stations with staff,
institutions with offerings (straight rows: these tests are about demands,
the institutions' own rules are tested in their app)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from stdnum.cn import uscc

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
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
from onestop.orders.models import Order, OrderStatus
from onestop.stations.models import Station, StationKind, Tier
from onestop.verification.models import Identity

_serial = itertools.count(1)


def valid_uscc(region_code: str) -> str:
    base = f"91{region_code[:6]}{next(_serial):09d}"
    return base + uscc.calc_check_digit(base)


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 60)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def verify_person(user, id_number: str = "11010519491231002X"):
    """Give ``user`` a verified real-name identity."""
    return Identity.objects.create(
        user=user,
        real_name="张明",
        id_number=id_number,
        id_index=crypto.blind_index(id_number, purpose="id_number"),
        verified_at=timezone.now(),
    )


def enterprise(region, name: str = "江阴示范机械有限公司", status=EnterpriseStatus.VERIFIED):
    return Enterprise.objects.create(
        name=name,
        uscc=valid_uscc(region.code),
        legal_representative="陈国强",
        address="江阴市澄江中路1号",
        region=region,
        industry="通用设备制造业",
        status=status,
    )


def member(user, of: Enterprise, role=MemberRole.OWNER) -> Membership:
    return Membership.objects.create(enterprise=of, user=user, role=role)


def station(region, name: str = "江阴市质量服务站", tier=Tier.STATION) -> Station:
    return Station.objects.create(
        region=region,
        tier=tier,
        kind=StationKind.REGULATOR_OR_PARK,
        name=name,
        address="江阴市澄江中路2号",
        person_in_charge="王强",
    )


def station_staff(make_user, station: Station, **fields):
    user = make_user(None, None, kind="staff", **fields)
    role_grant(actor=None, user=user, role=Role.STATION_STAFF, region=station.region, scope=station)
    return user


def institution(
    region,
    name: str = "甲检测公司",
    *,
    rating: str = "0",
    rating_count: int = 0,
    status=InstitutionStatus.ACTIVE,
    people=(),
) -> Institution:
    owner_enterprise = enterprise(region, name=name)
    for person in people:
        member(person, owner_enterprise)
    now = timezone.now()
    return Institution.objects.create(
        enterprise=owner_enterprise,
        name=name,
        kind=InstitutionKind.TESTING_LAB,
        region=region,
        address=f"{region.name}示范路{next(_serial)}号",
        service_phone="0510-86812345",
        status=status,
        agreement_version="2026.1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
        rating=Decimal(rating),
        rating_count=rating_count,
    )


def qualification(of: Institution, *, valid_to: dt.date | None = None) -> Qualification:
    today = timezone.localdate()
    return Qualification.objects.create(
        institution=of,
        kind=QualificationKind.CMA,
        number=f"2410{next(_serial):08d}",
        scope="压力表、压力变送器校准",
        issuer="江苏省市场监督管理局",
        valid_from=today - dt.timedelta(days=365),
        valid_to=valid_to or today + dt.timedelta(days=730),
    )


def offering(
    of: Institution,
    category,
    name: str = "压力表校准",
    scope: str = "0-60MPa 一般压力表校准，依据 JJG 52-2013",
    *,
    certified: bool = True,
    qualification_row: Qualification | None = None,
    **fields,
) -> Offering:
    if qualification_row is None and certified:
        qualification_row = qualification(of)
    return Offering.objects.create(
        institution=of,
        category=category,
        name=name,
        scope=scope,
        qualification=qualification_row,
        turnaround_working_days=5,
        price_min=Decimal("80"),
        price_max=Decimal("150"),
        **fields,
    )


def open_orders(of: Offering, user, count: int) -> None:
    for _n in range(count):
        Order.objects.create(
            number=f"DD{next(_serial):013d}",
            user=user,
            offering=of,
            institution=of.institution,
            region=of.institution.region,
            status=OrderStatus.IN_SERVICE,
            description="测试订单",
            contact_name="测试",
        )


def index(*offerings: Offering) -> None:
    """Put offerings into the search index now (normally after commit)."""
    from onestop.search.index import refresh
    from onestop.search.models import DocKind

    refresh(DocKind.OFFERING, [o.pk for o in offerings])
