"""Demo work in flight for the Liuzhou service center (issue 5): demands in
several states, orders awaiting acceptance and in service, a sample at a
station. Everything goes through the services, so clocks, events and
notices are real. Loading twice changes nothing.

Skipped (with nothing written) when a deadline would fall in a year the
working-day calendar does not cover yet: the demo must never stop an
installation from starting.
"""

from __future__ import annotations

import logging

from django.db import transaction

from onestop.accounts.models import User
from onestop.catalog.models import ServiceCategory
from onestop.core.workdays import CalendarNotCovered
from onestop.demands import engine
from onestop.demands import services as demands
from onestop.demands.models import ContactMethod, Demand
from onestop.demands.services.matching import Pick
from onestop.enterprises.models import EnterpriseStatus, Membership
from onestop.fieldwork import services as fieldwork
from onestop.institutions.models import Institution, Offering, OfferingStatus
from onestop.orders import services as orders
from onestop.orders.models import Order
from onestop.regions.models import Region
from onestop.stations.models import Station, StationStatus

logger = logging.getLogger(__name__)

MARK = "【演示】"


def orders_demo_load() -> None:
    if Demand.objects.filter(title__startswith=MARK).exists():
        return
    verified = Membership.objects.filter(
        user__username="enterprise_lz",
        removed_at__isnull=True,
        enterprise__status=EnterpriseStatus.VERIFIED,
    )
    if not verified.exists():  # the verification demo was left out
        logger.warning("demo demands and orders skipped: their enterprise is not verified")
        return
    try:
        with transaction.atomic():
            _load()
    except CalendarNotCovered:
        logger.warning("demo demands and orders skipped: the calendar does not cover the deadlines")


def _load() -> None:
    owner = User.objects.get(username="enterprise_lz")
    center = User.objects.get(username="center_lz")
    lab_owner = User.objects.get(username="institution_lz")
    region = Region.objects.get(code="450205")
    metrology = ServiceCategory.objects.get(code="metrology-verification")
    testing = ServiceCategory.objects.filter(parent__code="testing").order_by("position").first()

    # A demand just published, awaiting response.
    demands.demand_publish(
        user=owner,
        category=metrology,
        title=f"{MARK}液压扭矩扳手现场校准",
        description="生产线上 12 把液压扭矩扳手需要校准，希望上门服务并出具校准证书。",
        region=region,
        contact_name="刘经理",
        contact_method=ContactMethod.PHONE,
        contact_phone="0772-2812345",
    )
    # A demand responded to and recommended, waiting for the user to choose.
    second = demands.demand_publish(
        user=owner,
        category=testing or metrology,
        title=f"{MARK}出口机械零部件盐雾试验",
        description="出口订单要求提供零部件中性盐雾试验报告（96 小时），约 20 件样品。",
        region=region,
        contact_name="刘经理",
        contact_method=ContactMethod.INBOX,
    )
    demands.demand_claim(actor=center, demand=second)
    demands.demand_respond(actor=center, demand=second, note="已与刘经理确认样品数量和报告用途。")
    ranked = engine.rank(second, limit=2)
    if ranked:
        demands.demand_recommend(
            actor=center,
            demand=second,
            picks=[Pick(c.offering.pk, i + 1) for i, c in enumerate(ranked)],
            note="两家机构均具备相应资质，可任选其一。",
        )

    # Orders with the demo institution: one awaiting acceptance, one in service.
    institution = Institution.objects.get(name="柳州市计量技术测试研究所")
    offerings = list(
        Offering.objects.filter(institution=institution, status=OfferingStatus.PUBLISHED).order_by(
            "pk"
        )[:2]
    )
    if len(offerings) < 2:
        return
    membership = owner.memberships.filter(removed_at__isnull=True).select_related("enterprise")
    enterprise = membership.first().enterprise if membership.exists() else None  # type: ignore[union-attr]
    orders.order_place(
        user=owner,
        offering=offerings[0],
        description=f"{MARK}一般压力表 6 块（0–1.6 MPa），需出具校准证书。",
        contact_name="刘经理",
        enterprise=enterprise,
    )
    running: Order = orders.order_place(
        user=owner,
        offering=offerings[1],
        description=f"{MARK}车间用电子天平 2 台检定，送样至服务站。",
        contact_name="刘经理",
        enterprise=enterprise,
    )
    orders.order_accept(actor=lab_owner, order=running)
    orders.order_start(actor=lab_owner, order=running)
    station = (
        Station.objects.filter(
            region__path__startswith="450000/450200/", status=StationStatus.ACTIVE
        )
        .order_by("pk")
        .first()
    )
    if station is not None:
        sample = fieldwork.sample_receive(
            actor=center,
            station=station,
            order=running,
            description="电子天平（最大称量 3 kg）",
            quantity="2 台",
            condition="外观完好，附电源适配器",
        )
        fieldwork.sample_send(
            actor=center, sample=sample, carrier="同城配送", tracking_number="LZ20261121001"
        )
