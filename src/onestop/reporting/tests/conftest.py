"""Hand-made figures for October 2026 (its working days 12–16 October) in
Wuxi (Jiangyin and Xishan) and Hami, written as rows with chosen timestamps;
the clock pinned to Wednesday 18 November 2026.

October in Wuxi, by construction:
  institution A (Jiangyin): 6 orders placed 12 Oct (one through station S),
    3 completed 14 Oct (2 working days each), 1 declined and 1 cancelled
    13 Oct; 10 evaluations 15 Oct of September orders (8 good, 2 bad:
    attitude dissatisfied and not solved); complaints: one (quality)
    received 12 Oct, concluded upheld 14 Oct, closed satisfied 16 Oct
    (4 working days), one (fees) received 13 Oct;
  institution B (Xishan): 2 orders placed 13 Oct, 1 completed 16 Oct
    (3 working days), 1 good evaluation 16 Oct;
  station S (Jiangyin): 1 phone demand 12 Oct, 1 complaint (attitude) 15 Oct;
  demands: 2 online + 1 by phone on 12 Oct; response clocks: 2 met 12 Oct,
    1 still running past its deadline (breached 14 Oct); 1 recommendation
    clock met 13 Oct; 1 complaint clock met 13 Oct.
Hami (Yizhou): institution H, 1 order 12 Oct, 1 HM Appendix A evaluation
  15 Oct, 1 demand, 1 complaint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from onestop.catalog.models import ServiceCategory
from onestop.complaints.models import Complaint
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.demands.models import Demand
from onestop.evaluations.models import Evaluation, Invitation, SurveyForm
from onestop.evaluations.services import evaluations_load_forms
from onestop.evaluations.surveys import FIVE_LEVEL_CODE, HM_CODE
from onestop.evaluations.tests.conftest import FIVE_GOOD, HM_GOOD, SH, make_institution
from onestop.institutions.models import Institution, Offering
from onestop.orders.models import Order, OrderEvent, OrderStatus
from onestop.regions.models import Region
from onestop.stations.models import Station, StationKind, Tier

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=SH)
OCT_1, OCT_31 = dt.date(2026, 10, 1), dt.date(2026, 10, 31)

FIVE_BAD = {**FIVE_GOOD, "institution_3": "dissatisfied", "institution_5": "no"}

# The private data of raters and complainants: never in a table.
RATER_NAME = "评价人孙悟空"
RATER_PHONE = "13912345678"
RATER_ENTERPRISE = "江阴悟空精密机械有限公司"
SIGNER = "签字人猪八戒"
COMPLAINANT = "投诉人沙和尚"
COMPLAINANT_PHONE = "13800001111"


@pytest.fixture(autouse=True)
def _pinned_clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def at(day: int, hour: int = 10, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=SH)


class Builder:
    """Rows with chosen timestamps (auto_now_add fields are set by UPDATE)."""

    def __init__(self, regions: dict[str, Region], make_user: Any) -> None:
        self.regions = regions
        self.make_user = make_user
        self.numbers = iter(range(1, 100_000))
        self.category = ServiceCategory.objects.create(code="testing-rpt", name="检验检测")
        self.rater = make_user(
            "individual", "320281", kind="individual", display_name=RATER_NAME, mobile=RATER_PHONE
        )
        evaluations_load_forms()
        self.five = SurveyForm.objects.filter(code=FIVE_LEVEL_CODE).latest("version")
        self.hm = SurveyForm.objects.get(code=HM_CODE, version=1)

    def institution(self, code: str, name: str) -> Institution:
        number = next(self.numbers)
        return make_institution(self.regions[code], name=name, uscc=f"91320281MA{number:07d}X")

    def offering(self, institution: Institution) -> Offering:
        return Offering.objects.create(
            institution=institution,
            category=self.category,
            name=f"{institution.name}校准",
            scope="一般压力表",
            turnaround_working_days=5,
        )

    def order(
        self,
        offering: Offering,
        code: str,
        placed: dt.datetime,
        *,
        completed: dt.datetime | None = None,
        station: Station | None = None,
    ) -> Order:
        order = Order.objects.create(
            number=f"DD2026{next(self.numbers):08d}",
            user=self.rater,
            offering=offering,
            institution=offering.institution,
            region=self.regions[code],
            status=OrderStatus.COMPLETED if completed else OrderStatus.SUBMITTED,
            description="压力表校准",
            contact_name=RATER_NAME,
            proxy_station=station,
            completed_at=completed,
        )
        Order.objects.filter(pk=order.pk).update(created_at=placed)
        return order

    def end(self, order: Order, status: str, when: dt.datetime) -> None:
        Order.objects.filter(pk=order.pk).update(status=status)
        event = OrderEvent.objects.create(
            order=order, from_status=OrderStatus.SUBMITTED, to_status=status
        )
        OrderEvent.objects.filter(pk=event.pk).update(at=when)

    def evaluate(
        self,
        order: Order,
        answers: dict[str, str],
        when: dt.datetime,
        *,
        score: str,
        bad: bool = False,
        form: SurveyForm | None = None,
    ) -> Evaluation:
        form = form or self.five
        invitation = Invitation.objects.create(order=order, form=form, expires_at=when)
        evaluation = Evaluation.objects.create(
            invitation=invitation,
            order=order,
            form=form,
            institution=order.institution,
            region=order.region,
            rater=self.rater,
            answers=answers,
            comment="服务一般",
            enterprise_name=RATER_ENTERPRISE,
            signer=SIGNER,
            signed_on=when.date(),
            institution_score=Decimal(score),
            bad=bad,
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(created_at=when)
        return evaluation

    def demand(
        self, code: str, when: dt.datetime, *, source: str = "online", station=None
    ) -> Demand:
        demand = Demand.objects.create(
            number=f"XQ2026{next(self.numbers):08d}",
            requester=self.rater,
            contact_name=RATER_NAME,
            contact_phone=RATER_PHONE,
            contact_method="phone",
            category=self.category,
            title="需要压力表校准",
            description="五只压力表",
            region=self.regions[code],
            source=source,
            station=station,
        )
        Demand.objects.filter(pk=demand.pk).update(created_at=when)
        return demand

    def clock(self, subject: Any, kind: str, code: str, started: dt.datetime, stopped=None) -> None:
        clock = sla_clock_start(
            subject=subject,
            kind=kind,
            working_days=1,
            started_at=started,
            region=self.regions[code],
        )
        if stopped is not None:
            sla_clock_stop(clock=clock, at=stopped)

    def complaint(self, code: str, when: dt.datetime, **fields: Any) -> Complaint:
        target = "institution" if "institution" in fields else "station"
        return Complaint.objects.create(
            number=f"TS-2026-{next(self.numbers):06d}",
            channel="online",
            complainant=self.rater,
            complainant_name=COMPLAINANT,
            complainant_phone=COMPLAINANT_PHONE,
            target=target,
            region=self.regions[code],
            content="报告出具太慢",
            request="请尽快出具",
            received_at=when,
            **fields,
        )


@dataclasses.dataclass
class October:
    build: Builder
    a: Institution
    b: Institution
    h: Institution
    station: Station
    a_orders: list[Order]
    evaluations: list[Evaluation]


@pytest.fixture
def builder(regions, make_user) -> Builder:
    return Builder(regions, make_user)


@pytest.fixture
def october(builder: Builder, regions) -> October:
    build = builder
    a = build.institution("320281", "江阴示范检测所")
    b = build.institution("320205", "锡山小型计量站")
    h = build.institution("650502", "哈密市产品质量检验所")
    station = Station.objects.create(
        region=regions["320281"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="江阴市澄江服务站",
        address="江阴市澄江中路1号",
        person_in_charge="陈国强",
    )
    oa, ob, oh = build.offering(a), build.offering(b), build.offering(h)

    a_orders = [build.order(oa, "320281", at(12), station=station)]
    a_orders += [build.order(oa, "320281", at(12)) for _ in range(5)]
    for order in a_orders[:3]:
        Order.objects.filter(pk=order.pk).update(status=OrderStatus.COMPLETED, completed_at=at(14))
    build.end(a_orders[3], OrderStatus.DECLINED, at(13))
    build.end(a_orders[4], OrderStatus.CANCELLED, at(13))
    build.order(ob, "320205", at(13))
    b_done = build.order(ob, "320205", at(13), completed=at(16))

    # Ten evaluations of A on 15 Oct, of orders placed and completed in September.
    evaluations = []
    for n in range(10):
        september = build.order(oa, "320281", at(7, month=9), completed=at(9, month=9))
        if n < 8:
            evaluations.append(build.evaluate(september, FIVE_GOOD, at(15), score="4.00"))
        else:
            evaluations.append(build.evaluate(september, FIVE_BAD, at(15), score="3.60", bad=True))
    build.evaluate(b_done, FIVE_GOOD, at(16), score="4.00")

    online = [build.demand("320281", at(12)) for _ in range(2)]
    phoned = build.demand("320281", at(12), source="phone", station=station)
    for demand in online:
        build.clock(demand, "demand_response", "320281", at(12), stopped=at(12, 15))
    build.clock(phoned, "demand_response", "320281", at(12))  # never answered
    build.clock(online[0], "demand_recommendation", "320281", at(12), stopped=at(13))

    upheld = build.complaint(
        "320281",
        at(12),
        institution=a,
        type="quality",
        concluded_at=at(14),
        upheld=True,
        closed_at=at(16),
        satisfaction="satisfied",
        status="closed",
    )
    build.clock(upheld, "complaint_investigation", "320281", at(12), stopped=at(13))
    build.complaint("320281", at(13), institution=a, type="fees")
    build.complaint("320281", at(15), station=station, type="attitude")

    # Hami: kept apart from Wuxi by the region subtree.
    hami_order = build.order(oh, "650502", at(12), completed=at(13))
    build.evaluate(hami_order, HM_GOOD, at(15), score="4.50", form=build.hm)
    build.demand("650502", at(12))
    build.complaint("650502", at(12), institution=h, type="quality")
    return October(
        build=build,
        a=a,
        b=b,
        h=h,
        station=station,
        a_orders=a_orders,
        evaluations=evaluations,
    )


def table(tables, key):
    return next(t for t in tables if t.key == key)


def cell(tables, key, row_label, column=1):
    """The value in ``column`` of the row whose first cell is ``row_label``
    (an English msgid; pages render it in Chinese, the platform's language)."""
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = translation.gettext(row_label)
    row = next(r for r in table(tables, key).rows if r[0] in (row_label, chinese))
    return row[column]


@pytest.fixture
def rolled(october):
    """October's figures counted (and September's, and November's to yesterday)."""
    from onestop.reporting.services import figures_rollup

    figures_rollup(start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 17))
    return october


@pytest.fixture
def wx_center(make_user, regions):
    return make_user("center_staff", "320200", kind="staff", display_name="无锡中心陈静")


@pytest.fixture
def jy_station_staff(make_user, regions):
    return make_user("station_staff", "320281", kind="staff", display_name="江阴站小陈")


@pytest.fixture
def hm_center(make_user, regions):
    return make_user("center_staff", "650500", kind="staff", display_name="哈密中心王磊")


@pytest.fixture
def wx_authority(make_user, regions):
    return make_user("authority", "320200", kind="staff", display_name="无锡市局")


PRIVATE = (RATER_NAME, RATER_PHONE, RATER_ENTERPRISE, SIGNER, COMPLAINANT, COMPLAINANT_PHONE)
