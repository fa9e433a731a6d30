"""A Hami institution (HM profile → Appendix A form) and a Wuxi one (five
levels), one person each, users with completed orders, center staff in both
cities; the clock pinned to a working Wednesday in 2026."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from onestop.accounts.models import User
from onestop.catalog.models import ServiceCategory
from onestop.enterprises.models import Enterprise, EnterpriseStatus, MemberRole, Membership
from onestop.evaluations.services import evaluations_load_forms
from onestop.institutions.models import Institution, InstitutionKind, InstitutionStatus, Offering
from onestop.orders.models import Order, OrderStatus

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)

_numbers = iter(range(1, 100_000))


def make_institution(region, *, name: str, uscc: str) -> Institution:
    enterprise = Enterprise.objects.create(
        name=name,
        uscc=uscc,
        legal_representative="陈国强",
        address="某路1号",
        region=region,
        industry="检验检测",
        status=EnterpriseStatus.VERIFIED,
    )
    now = timezone.now()
    return Institution.objects.create(
        enterprise=enterprise,
        name=name,
        kind=InstitutionKind.TESTING_LAB,
        region=region,
        address="某路1号",
        service_phone="0902-2212345",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        decided_at=now,
    )


def make_order(user: User, offering: Offering, *, region) -> Order:
    return Order.objects.create(
        number=f"DD20261118{next(_numbers):05d}",
        user=user,
        offering=offering,
        institution=offering.institution,
        region=region,
        status=OrderStatus.COMPLETED,
        description="压力表校准 5 只",
        contact_name="周主任",
        completed_at=timezone.now(),
    )


@dataclass
class World:
    hm_institution: Institution
    wx_institution: Institution
    hm_person: User
    wx_person: User
    hm_offering: Offering
    wx_offering: Offering
    user: User
    wx_user: User
    hm_center: User
    wx_center: User
    hm_order: Order
    wx_order: Order
    hami: object
    wuxi: object


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=True)


@pytest.fixture
def world(regions, make_user) -> World:
    evaluations_load_forms()
    yizhou, wuxi = regions["650502"], regions["320281"]
    category = ServiceCategory.objects.create(code="testing-services", name="检验检测服务")
    hm_institution = make_institution(
        yizhou, name="哈密市产品质量检验所", uscc="91320281MA1X2Y3W4B"
    )
    wx_institution = make_institution(wuxi, name="江阴市示范计量检测所", uscc="91450200MA5K6L7N8N")
    hm_person = make_user("enterprise", "650502", kind="enterprise", display_name="哈检王经理")
    Membership.objects.create(
        enterprise=hm_institution.enterprise, user=hm_person, role=MemberRole.OWNER
    )
    wx_person = make_user("enterprise", "320281", kind="enterprise", display_name="江检李工")
    Membership.objects.create(
        enterprise=wx_institution.enterprise, user=wx_person, role=MemberRole.OWNER
    )
    hm_offering = Offering.objects.create(
        institution=hm_institution,
        category=category,
        name="压力表校准",
        scope="一般压力表",
        turnaround_working_days=5,
    )
    wx_offering = Offering.objects.create(
        institution=wx_institution,
        category=category,
        name="天平检定",
        scope="电子天平",
        turnaround_working_days=5,
    )
    user = make_user("individual", "650502", kind="individual", display_name="赵先生")
    wx_user = make_user("individual", "320281", kind="individual", display_name="钱女士")
    return World(
        hm_institution=hm_institution,
        wx_institution=wx_institution,
        hm_person=hm_person,
        wx_person=wx_person,
        hm_offering=hm_offering,
        wx_offering=wx_offering,
        user=user,
        wx_user=wx_user,
        hm_center=make_user("center_staff", "650500", kind="staff", display_name="哈密中心王磊"),
        wx_center=make_user("center_staff", "320200", kind="staff", display_name="无锡中心陈静"),
        hm_order=make_order(user, hm_offering, region=yizhou),
        wx_order=make_order(wx_user, wx_offering, region=wuxi),
        hami=yizhou,
        wuxi=wuxi,
    )


HM_GOOD = {
    **{f"center_{i}": "satisfied" for i in range(1, 5)},
    "center_5": "yes",
    "institution_1": "very_satisfied",
    "institution_2": "very_satisfied",
    "institution_3": "satisfied",
    "institution_4": "satisfied",
    "institution_5": "yes",
}

FIVE_GOOD = {
    "institution_flow": "satisfied",
    **{f"institution_{i}": "satisfied" for i in range(1, 5)},
    "institution_5": "yes",
}
