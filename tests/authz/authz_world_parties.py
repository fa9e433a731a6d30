"""The matrix world's people and places (see authz_world): the victim
enterprise with its owner and member, another enterprise, the institution
that serves the victim with its offering and another institution, a
catalog item, a Liuzhou and a Hami station, and one user per staff role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant
from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.core import crypto
from onestop.enterprises.models import (
    Enterprise,
    EnterpriseStatus,
    Invitation,
    MemberRole,
    Membership,
)
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.regions.models import Region
from onestop.stations.models import Station, StationKind, Tier
from onestop.verification.models import Identity

VICTIM_MOBILE = "13800138071"
LIUZHOU, DISTRICT, HAMI = "450200", "450202", "650500"


@dataclass
class Parties:
    """What the records, the roles and the URLs' ids refer to."""

    victim_enterprise: Enterprise
    owner: User
    member: User
    membership: Membership
    invitation: Invitation
    other_owner: User
    institution: Institution
    lab_owner: User
    other_lab_owner: User
    category: ServiceCategory
    offering: Offering
    item: ServiceItem
    station: Station
    station_staff: User
    elsewhere: User
    center: User
    authority: User
    sysadmin: User
    expert_user: User
    individual: User


_n = iter(range(1, 1_000_000))


def _uscc() -> str:
    return f"91450200MA{next(_n):07d}X"


def _enterprise(region: Region, name: str) -> Enterprise:
    return Enterprise.objects.create(
        name=name,
        uscc=_uscc(),
        legal_representative="王某",
        address="柳州市示范路9号",
        region=region,
        industry="制造业",
        status=EnterpriseStatus.VERIFIED,
    )


def new_user(
    make_user: Any, role: str | None, region: str | None, kind: str, **fields: Any
) -> User:
    user: User = make_user(role, region, kind=kind, **fields)
    return user


def _owner_of(make_user: Any, enterprise: Enterprise, region: str, **fields: Any) -> User:
    user = new_user(make_user, "enterprise", region, "enterprise", **fields)
    Membership.objects.create(enterprise=enterprise, user=user, role=MemberRole.OWNER)
    return user


def _institution(enterprise: Enterprise, region: Region, name: str) -> Institution:
    now = timezone.now()
    return Institution.objects.create(
        enterprise=enterprise,
        name=name,
        kind=InstitutionKind.TESTING_LAB,
        region=region,
        address="柳州市示范路1号",
        service_phone="0772-2812345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


def build_parties(regions: dict[str, Region], make_user: Any, now: dt.datetime) -> Parties:
    liuzhou, district = regions[LIUZHOU], regions[DISTRICT]

    # The victim enterprise (customer), its owner and member.
    victim_enterprise = _enterprise(district, "柳州受害精密机械有限公司")
    owner = _owner_of(
        make_user,
        victim_enterprise,
        DISTRICT,
        display_name="受害企业周主任",
        mobile=VICTIM_MOBILE,
        mobile_index=crypto.blind_index(VICTIM_MOBILE, purpose="mobile"),
    )
    member = new_user(make_user, "enterprise", DISTRICT, "enterprise", display_name="受害企业同事")
    membership = Membership.objects.create(
        enterprise=victim_enterprise, user=member, role=MemberRole.MEMBER
    )
    invitation = Invitation.objects.create(
        enterprise=victim_enterprise,
        mobile_index=crypto.blind_index("13800138072", purpose="mobile"),
        masked_mobile="138****8072",
        invited_by=owner,
    )
    other_enterprise = _enterprise(district, "柳州他人五金有限公司")
    other_owner = _owner_of(make_user, other_enterprise, DISTRICT, display_name="他人企业老板")

    # The institution that serves the victim, and another one.
    lab = _enterprise(liuzhou, "柳州示范检测有限公司")
    institution = _institution(lab, district, "柳州示范检测所")
    lab_owner = _owner_of(make_user, lab, LIUZHOU, display_name="检测所王经理")
    other_lab = _enterprise(liuzhou, "柳州另一检测有限公司")
    _institution(other_lab, district, "柳州另一检测所")
    other_lab_owner = _owner_of(make_user, other_lab, LIUZHOU, display_name="另一检测所李工")

    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    qualification = Qualification.objects.create(
        institution=institution,
        kind=QualificationKind.CMA,
        number="241012340567",
        scope="压力表校准",
        issuer="广西壮族自治区市场监督管理局",
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2029, 12, 31),
    )
    offering = Offering.objects.create(
        institution=institution,
        category=category,
        name="压力表校准",
        scope="一般压力表",
        qualification=qualification,
        price_min=Decimal("80"),
        price_max=Decimal("150"),
        turnaround_working_days=5,
    )
    item = ServiceItem.objects.create(
        category=category,
        name="计量器具检定",
        summary="强制检定",
        conditions="无",
        fees="按标准收费",
        channel="线上",
        handled_by="柳州市市场监督管理局",
    )

    station = Station.objects.create(
        region=district,
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="城中区质量服务站",
        address="柳州市城中区示范路2号",
        person_in_charge="陈站长",
    )
    hm_station = Station.objects.create(
        region=regions["650502"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="伊州区质量服务站",
        address="哈密市伊州区示范路3号",
        person_in_charge="马站长",
    )

    # Staff.
    station_staff = new_user(make_user, None, None, "staff", display_name="城中站小陈")
    role_grant(
        actor=None, user=station_staff, role=Role.STATION_STAFF, region=district, scope=station
    )
    elsewhere = new_user(make_user, None, None, "staff", display_name="伊州站小马")
    role_grant(
        actor=None,
        user=elsewhere,
        role=Role.STATION_STAFF,
        region=regions["650502"],
        scope=hm_station,
    )
    center = new_user(make_user, "center_staff", LIUZHOU, "staff", display_name="柳州中心小刘")
    authority = new_user(make_user, "authority", LIUZHOU, "staff", display_name="柳州市局")
    sysadmin = new_user(make_user, "sysadmin", None, "staff", display_name="系统管理员")
    expert_user = new_user(make_user, "expert", LIUZHOU, "staff", display_name="专家黄工")
    individual = new_user(
        make_user, "individual", DISTRICT, "individual", display_name="路人孙先生"
    )
    Identity.objects.create(
        user=individual,
        real_name="孙某",
        id_number="450202199001010011",
        id_index=crypto.blind_index("450202199001010011", purpose="id_number"),
        verified_at=now,
    )
    return Parties(
        victim_enterprise=victim_enterprise,
        owner=owner,
        member=member,
        membership=membership,
        invitation=invitation,
        other_owner=other_owner,
        institution=institution,
        lab_owner=lab_owner,
        other_lab_owner=other_lab_owner,
        category=category,
        offering=offering,
        item=item,
        station=station,
        station_staff=station_staff,
        elsewhere=elsewhere,
        center=center,
        authority=authority,
        sysadmin=sysadmin,
        expert_user=expert_user,
        individual=individual,
    )
