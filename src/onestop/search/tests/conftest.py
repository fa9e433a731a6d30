"""A small directory to search: the bundled catalog, two institutions with
offerings, an expert and a station, indexed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from onestop.catalog.models import ServiceCategory
from onestop.catalog.services import catalog_load_bundled
from onestop.enterprises.models import Enterprise, EnterpriseStatus
from onestop.experts.models import Expert
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.search import index
from onestop.search.synonyms import synonyms_load_defaults
from onestop.stations.models import Station, StationKind, Tier

TODAY = dt.date(2026, 11, 21)


@dataclass
class World:
    metrology: Institution
    lab: Institution
    gauge: Offering
    pesticide: Offering
    expired: Offering
    expert: Expert
    station: Station
    cma: Qualification


def institution(name: str, uscc: str, kind: str, region, rating: str = "4.5") -> Institution:
    enterprise = Enterprise.objects.create(
        name=name,
        uscc=uscc,
        legal_representative="张三",
        address="某路 1 号",
        region=region,
        industry="技术服务",
        status=EnterpriseStatus.VERIFIED,
    )
    now = timezone.now()
    return Institution.objects.create(
        enterprise=enterprise,
        name=name,
        kind=kind,
        region=region,
        address="某路 1 号",
        service_phone="0510-12345678",
        status=InstitutionStatus.ACTIVE,
        agreement_version="2026-1",
        agreement_accepted_at=now,
        applied_at=now,
        rating=Decimal(rating),
    )


def qualification(owner: Institution, kind: str, number: str, valid_to: dt.date) -> Qualification:
    return Qualification.objects.create(
        institution=owner,
        kind=kind,
        number=number,
        scope="压力表、天平",
        issuer="江苏省市场监督管理局",
        valid_from=dt.date(2022, 1, 1),
        valid_to=valid_to,
    )


def offering(owner: Institution, category: str, name: str, scope: str, **fields) -> Offering:
    return Offering.objects.create(
        institution=owner,
        category=ServiceCategory.objects.get(code=category),
        name=name,
        scope=scope,
        turnaround_working_days=fields.pop("turnaround_working_days", 5),
        **fields,
    )


@pytest.fixture
def world(regions, settings) -> World:
    catalog_load_bundled()
    synonyms_load_defaults()
    wuxi, liuzhou = regions["320200"], regions["450200"]
    metrology = institution(
        "无锡市计量测试院", "91320281MA1X2Y3W4B", InstitutionKind.METROLOGY, wuxi
    )
    lab = institution(
        "柳州市检验检测中心", "91450200MA5K6L7N8N", InstitutionKind.TESTING_LAB, liuzhou, "4.9"
    )
    cma = qualification(metrology, QualificationKind.CMA, "201920120345", dt.date(2029, 1, 1))
    old = qualification(lab, QualificationKind.CNAS, "CNAS L0001", dt.date(2026, 1, 1))
    metrology_code = ServiceCategory.objects.filter(parent__code="metrology").first().code
    testing_code = ServiceCategory.objects.filter(parent__code="testing").first().code
    gauge = offering(
        metrology,
        metrology_code,
        "压力表校准",
        "一般压力表、精密压力表 0–60 MPa，依据 JJG 52-2013",
        qualification=cma,
        price_min=Decimal("80"),
        price_max=Decimal("200"),
        online=False,
        at_lab=True,
    )
    pesticide = offering(
        lab, testing_code, "食品中农药残留检测", "依据 GB 2763 检测蔬菜水果农药残留", online=True
    )
    expired = offering(
        lab, testing_code, "电子天平检定", "电子天平 0.1 mg–30 kg", qualification=old
    )
    expert = Expert.objects.create(
        name="李建国",
        title="正高级工程师",
        organisation="无锡市计量测试院",
        region=wuxi,
        specialties="压力计量、热工计量",
        contact_phone="13800138000",
        contact_email="li@example.cn",
    )
    expert.categories.add(ServiceCategory.objects.get(code="metrology"))
    station = Station.objects.create(
        region=wuxi,
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="无锡市质量基础设施一站式服务站",
        address="无锡市滨湖区",
        person_in_charge="王五",
        services="计量器具检定预约、标准咨询",
    )
    index.rebuild()
    return World(metrology, lab, gauge, pesticide, expired, expert, station, cma)
