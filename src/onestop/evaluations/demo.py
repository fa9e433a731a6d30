"""Demo history: the first three quarters of 2026 in Liuzhou, Hami and Wuxi —
completed orders with their acceptance clocks and the evaluations their users
gave (a few dissatisfied), so the statistics dashboard, the published
snapshots and the annual summary have something to show.

Rows are written with the dates they would have had (orders and evaluations
are created through the models because the services stamp "now"); clocks go
through the SLA services with their historical times. Deterministic (seeded),
and loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from onestop.accounts.models import Role, User
from onestop.accounts.services import role_grant
from onestop.core.services import sla_clock_start, sla_clock_stop
from onestop.core.workdays import CalendarNotCovered
from onestop.evaluations.models import (
    CALLBACK_CLOCK,
    CALLBACK_WORKING_DAYS,
    CallbackMethod,
    CaseStatus,
    Evaluation,
    EvaluationEvent,
    EventKind,
    Invitation,
    RectificationCase,
)
from onestop.evaluations.services import evaluations_load_forms, form_for_order
from onestop.evaluations.services.submission import rating_recompute, score_and_bad
from onestop.institutions.models import InstitutionStatus, Offering, OfferingStatus
from onestop.orders.models import ACCEPTANCE_CLOCK, Order, OrderStatus
from onestop.orders.services.placing import next_number
from onestop.regions.models import Region

logger = logging.getLogger(__name__)

SH = ZoneInfo("Asia/Shanghai")
MARK = "【历史演示】"
# City → (the raters' district, orders per quarter).
CITIES = {"450200": ("450202", 36), "650500": ("650502", 24), "320200": ("320281", 30)}
QUARTERS = [(dt.date(2026, 1, 5), 80), (dt.date(2026, 4, 1), 85), (dt.date(2026, 7, 1), 88)]
COMMENTS_GOOD = ["服务专业，报告及时。", "工作人员态度很好。", "流程清楚，办理方便。", ""]
COMMENTS_BAD = [
    "报告比约定晚了好几天，也没有提前告知。",
    "收费标准解释不清楚。",
    "现场服务人员态度冷淡，问题没有解决。",
    "预约后多次改期，效率太低。",
]


def history_demo_load() -> None:
    if Order.objects.filter(description__startswith=MARK).exists():
        return
    try:
        with transaction.atomic():
            _load(random.Random(20260101))  # noqa: S311 - demo data, not security
    except CalendarNotCovered:
        logger.warning("demo history skipped: the calendar does not cover 2026")


def _raters(city: str, district: Region) -> list[User]:
    people = []
    for number in range(1, 7):
        username = f"history_{city}_{number}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=None, display_name=f"历史用户{city[-4:]}{number}"
            )
            role_grant(actor=None, user=user, role=Role.INDIVIDUAL, region=district)
        people.append(user)
    return people


def _answers(form_definition: dict[str, Any], rng: random.Random, *, bad: bool) -> dict[str, str]:
    scale = [step["value"] for step in form_definition["scale"]]
    answers = {}
    for part in form_definition["parts"]:
        for question in part["questions"]:
            if question["type"] == "yes_no":
                answers[question["key"]] = "no" if bad and rng.random() < 0.5 else "yes"
            elif bad and rng.random() < 0.6:
                answers[question["key"]] = scale[-1]
            else:
                answers[question["key"]] = rng.choice(scale[:3])
    if bad and "no" not in answers.values() and scale[-1] not in answers.values():
        first = form_definition["parts"][-1]["questions"][0]["key"]
        answers[first] = scale[-1]
    return answers


def _load(rng: random.Random) -> None:
    evaluations_load_forms()
    rated: set[int] = set()
    for city_code, (district_code, per_quarter) in CITIES.items():
        city = Region.objects.get(code=city_code)
        district = Region.objects.get(code=district_code)
        offerings = list(
            Offering.objects.filter(
                status=OfferingStatus.PUBLISHED,
                institution__status=InstitutionStatus.ACTIVE,
                institution__region__path__startswith=city.path,
            )
            .select_related("institution")
            .order_by("pk")[:40]
        )
        if not offerings:
            continue
        raters = _raters(city_code, district)
        form = form_for_order(district)
        for start, days in QUARTERS:
            for _index in range(per_quarter):
                offering = rng.choice(offerings)
                placed = dt.datetime.combine(
                    start + dt.timedelta(days=rng.randrange(days)),
                    dt.time(rng.randrange(9, 17), rng.randrange(60)),
                    tzinfo=SH,
                )
                _one(rng, offering, rng.choice(raters), district, form, placed)
                rated.add(offering.institution_id)
    for institution_id in rated:
        rating_recompute(institution_id)


def _one(rng, offering, user, region, form, placed: dt.datetime) -> None:  # type: ignore[no-untyped-def]
    completed = placed + dt.timedelta(days=rng.randrange(3, 15), hours=rng.randrange(8))
    order = Order.objects.create(
        number=next_number(placed),
        user=user,
        offering=offering,
        institution=offering.institution,
        region=region,
        status=OrderStatus.COMPLETED,
        description=f"{MARK}{offering.name}",
        contact_name=user.display_name,
        completed_at=completed,
    )
    Order.objects.filter(pk=order.pk).update(created_at=placed, updated_at=completed)
    clock = sla_clock_start(
        subject=order, kind=ACCEPTANCE_CLOCK, working_days=1, started_at=placed, region=region
    )
    late = rng.random() < 0.08
    sla_clock_stop(
        clock=clock,
        at=clock.due_at + dt.timedelta(hours=5) if late else placed + dt.timedelta(hours=3),
    )
    if rng.random() > 0.7:  # not everyone evaluates
        return
    bad = rng.random() < 0.1
    submitted = completed + dt.timedelta(days=rng.randrange(0, 6), hours=rng.randrange(1, 8))
    invitation = Invitation.objects.create(
        order=order, form=form, expires_at=completed + dt.timedelta(days=30), used_at=submitted
    )
    answers = _answers(form.definition, rng, bad=bad)
    score, bad_keys = score_and_bad(invitation, answers)
    evaluation = Evaluation.objects.create(
        invitation=invitation,
        order=order,
        form=form,
        institution=offering.institution,
        region=region,
        rater=user,
        answers=answers,
        comment=rng.choice(COMMENTS_BAD if bad_keys else COMMENTS_GOOD),
        signed_on=timezone.localdate(submitted),
        institution_score=score,
        bad=bool(bad_keys),
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(created_at=submitted)
    if bad_keys:
        _called_back(evaluation, bad_keys, submitted)


def _called_back(evaluation: Evaluation, reasons: list[str], submitted: dt.datetime) -> None:
    """A past bad review: its case was called back and closed in time."""
    case = RectificationCase.objects.create(
        evaluation=evaluation,
        region_id=evaluation.region_id,
        institution_id=evaluation.institution_id,
        reasons=reasons,
        status=CaseStatus.CLOSED,
        callback_method=CallbackMethod.PHONE,
        callback_outcome="已电话回访，机构已说明情况并整改，用户认可。",
        user_confirmed=True,
    )
    called = submitted + dt.timedelta(days=3)
    RectificationCase.objects.filter(pk=case.pk).update(
        opened_at=submitted, called_back_at=called, closed_at=called
    )
    EvaluationEvent.objects.bulk_create(
        [
            EvaluationEvent(evaluation=evaluation, at=submitted, kind=EventKind.CASE_OPENED),
            EvaluationEvent(
                evaluation=evaluation,
                at=called,
                kind=EventKind.CASE_CLOSED,
                note=case.callback_outcome,
            ),
        ]
    )
    clock = sla_clock_start(
        subject=case,
        kind=CALLBACK_CLOCK,
        working_days=CALLBACK_WORKING_DAYS,
        started_at=submitted,
        region=evaluation.region,
    )
    sla_clock_stop(clock=clock, at=called)
