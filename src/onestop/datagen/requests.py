"""Phase: demands in every state (events, response and recommendation
clocks, recommendations, dockings) and complaints in several states (events
that replay onestop.complaints.rules, numbers from the yearly sequence)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType

from onestop.complaints import rules as complaint_rules
from onestop.complaints.models import Channel, Complaint, ComplaintEvent, ComplaintStatus
from onestop.complaints.models import Target as ComplaintTarget
from onestop.core import workdays
from onestop.core.models import Sequence
from onestop.datagen import names
from onestop.datagen.clocks import Clocks
from onestop.datagen.context import Context
from onestop.demands import rules as demand_rules
from onestop.demands.models import (
    RECOMMENDATION_CLOCK,
    RESPONSE_CLOCK,
    ContactMethod,
    Demand,
    DemandEvent,
    DemandSequence,
    DemandSource,
    DemandStatus,
    Docking,
    Recommendation,
)
from onestop.demands.services.common import RECOMMENDATION_WORKING_DAYS, RESPONSE_WORKING_DAYS

D = DemandStatus
DEMAND_SHARES = (
    (D.DOCKED, 0.40), (D.RECOMMENDED, 0.15), (D.CLOSED, 0.15), (D.REFERRED, 0.05),
    (D.CANCELLED, 0.07), (D.RESPONDED, 0.08), (D.PUBLISHED, 0.10),
)  # fmt: skip
# Action, the status it leads to (onestop.demands.rules checks the source).
DEMAND_PATHS: dict[str, list[tuple[str, str]]] = {
    D.PUBLISHED: [],
    D.RESPONDED: [("respond", D.RESPONDED)],
    D.RECOMMENDED: [("respond", D.RESPONDED), ("recommend", D.RECOMMENDED)],
    D.REFERRED: [("respond", D.RESPONDED), ("refer", D.REFERRED)],
    D.DOCKED: [("respond", D.RESPONDED), ("recommend", D.RECOMMENDED), ("accept", D.DOCKED)],
    D.CLOSED: [("respond", D.RESPONDED), ("recommend", D.RECOMMENDED), ("close", D.CLOSED)],
    D.CANCELLED: [("cancel", D.CANCELLED)],
}


def demands(ctx: Context, audit: list[tuple[Any, ...]]) -> None:
    rng, t, scale = ctx.rng, ctx.tables, ctx.scale
    clocks = Clocks(ctx)
    demand_type = ContentType.objects.get_for_model(Demand).pk
    statuses = [s for s, _ in DEMAND_SHARES]
    weights = [w for _, w in DEMAND_SHARES]
    planned = []
    for _ in range(scale.demands):
        status = rng.choices(statuses, weights)[0]
        recent = status in (D.PUBLISHED, D.RESPONDED)
        at = ctx.now - dt.timedelta(days=rng.uniform(0.01, 5 if recent else scale.days))
        planned.append((at, status))
    planned.sort()
    days = Counter(workdays.local_date(at) for at, _ in planned)
    last = dict(DemandSequence.objects.filter(day__in=list(days)).values_list("day", "last"))
    serial = dict(last)
    for at, status in planned:
        customer = rng.choice(ctx.customers)
        region = customer.region
        staff = ctx.staff_for(region)
        day = workdays.local_date(at)
        serial[day] = serial.get(day, 0) + 1
        number = f"XQ{day:%Y%m%d}{serial[day]:05d}"
        need = rng.choice(names.NEEDS)
        offering = rng.choice(ctx.offerings)
        source = rng.choice((DemandSource.ONLINE,) * 4 + (DemandSource.PHONE,))
        path = DEMAND_PATHS[status]
        times = [at]
        for _ in path:
            times.append(min(times[-1] + dt.timedelta(hours=rng.uniform(1, 50)), ctx.now))
        responded = times[1] if path and path[0][0] == "respond" else None
        pk = t[Demand].add(
            number=number,
            requester_id=customer.pk,
            enterprise_id=customer.enterprise_pk,
            contact_name=names.person(rng),
            contact_method=ContactMethod.PHONE,
            category_id=offering.category_pk,
            title=f"需要{need}服务",
            description=f"我单位需要开展{need}，请推荐具备资质的服务机构。",
            region_id=region.pk,
            source=source,
            status=status,
            response_note="已电话联系，需求已明确。" if responded else "",
            responded_at=responded,
            created_at=at,
            updated_at=times[-1],
        )
        t[DemandEvent].add(
            demand_id=pk, actor_id=customer.pk, at=at, kind="publish", to_status=D.PUBLISHED
        )
        current: str = D.PUBLISHED
        recommended = None
        for (action, target), when in zip(path, times[1:], strict=True):
            if current not in demand_rules.TRANSITIONS[action]:  # pragma: no cover
                raise AssertionError(f"demand {current} --{action}->")
            actor = customer.pk if action in ("cancel", "accept") else staff
            t[DemandEvent].add(
                demand_id=pk, actor_id=actor, at=when, kind=action,
                from_status=current, to_status=target,
            )  # fmt: skip
            if action == "recommend":
                recommended = when
                rec = t[Recommendation].add(
                    demand_id=pk,
                    offering_id=offering.pk,
                    institution_id=offering.institution_pk,
                    position=1,
                    score=round(rng.uniform(0.5, 1), 3),
                    recommended_by_id=staff or customer.pk,
                    recommended_at=when,
                )
            if action == "refer":
                recommended = when
                t[Recommendation].add(
                    demand_id=pk,
                    external_name=f"{region.name}计量测试研究院",
                    position=1,
                    recommended_by_id=staff or customer.pk,
                    recommended_at=when,
                )
            if action == "accept":
                t[Recommendation].rows[-1][t[Recommendation].index["accepted_at"]] = when
                t[Docking].add(demand_id=pk, recommendation_id=rec, recorded_by_id=staff)
            current = target
        stopped_any = times[-1] if status in (D.CANCELLED,) else None
        clocks.add(
            subject_type=demand_type, subject_id=pk, kind=RESPONSE_CLOCK, region_id=region.pk,
            days=RESPONSE_WORKING_DAYS, started=at, stopped=responded or stopped_any,
        )  # fmt: skip
        clocks.add(
            subject_type=demand_type, subject_id=pk, kind=RECOMMENDATION_CLOCK,
            region_id=region.pk, days=RECOMMENDATION_WORKING_DAYS, started=at,
            stopped=recommended or stopped_any,
        )  # fmt: skip
        audit.append((at, customer.pk, "demands.publish", "demands.demand", pk, number, region.pk))
    for day, value in serial.items():
        if day in last:
            DemandSequence.objects.filter(day=day).update(last=value)
        else:
            t[DemandSequence].add(day=day, last=value)
    ctx.counts["demands"] = scale.demands


C = ComplaintStatus
COMPLAINT_SHARES = (
    (C.CLOSED, 0.50), (C.FED_BACK, 0.10), (C.CONCLUDED, 0.05), (C.RESPONDED, 0.05),
    (C.FORWARDED, 0.10), (C.INVESTIGATING, 0.10), (C.RECEIVED, 0.05), (C.NOT_ACCEPTED, 0.03),
    (C.WITHDRAWN, 0.02),
)  # fmt: skip
FULL = ["acknowledge", "forward", "respond", "conclude", "feed_back", "close"]


def _target(action: str, current: str) -> str:
    """Where ``action`` takes a complaint in ``current`` (onestop.complaints.rules)."""
    for rule in complaint_rules.TABLE:
        if rule.action == action and current in rule.sources:
            return rule.target
    raise AssertionError(f"complaint {current} --{action}-> not in the table")


def _full_paths() -> dict[str, list[str]]:
    paths: dict[str, list[str]] = {C.RECEIVED: []}
    current = C.RECEIVED
    for i, action in enumerate(FULL):
        current = C(_target(action, current))
        paths[current] = FULL[: i + 1]
    return paths


COMPLAINT_PATHS = {**_full_paths(), C.NOT_ACCEPTED: ["not_accept"], C.WITHDRAWN: ["withdraw"]}
STAMPS = {
    "acknowledge": "acknowledged_at", "forward": "forwarded_at", "respond": "responded_at",
    "conclude": "concluded_at", "feed_back": "fed_back_at", "close": "closed_at",
}  # fmt: skip


def complaints(ctx: Context, audit: list[tuple[Any, ...]]) -> None:
    rng, t, scale = ctx.rng, ctx.tables, ctx.scale
    statuses = [s for s, _ in COMPLAINT_SHARES]
    weights = [w for _, w in COMPLAINT_SHARES]
    planned = sorted(
        (ctx.moment(), rng.choices(statuses, weights)[0]) for _ in range(scale.complaints)
    )
    years = Counter(workdays.local_date(at).year for at, _ in planned)
    keys = {year: f"complaint:{year}" for year in years}
    last = dict(Sequence.objects.filter(key__in=keys.values()).values_list("key", "last"))
    serial = {key: last.get(key, 0) for key in keys.values()}
    institutions = list(ctx.institutions)
    for at, status in planned:
        customer = rng.choice(ctx.customers)
        region = customer.region
        staff = ctx.staff_for(region)
        institution = rng.choice(institutions)
        key = keys[workdays.local_date(at).year]
        serial[key] += 1
        number = f"TS-{key.split(':')[1]}-{serial[key]:06d}"
        path = COMPLAINT_PATHS[status]
        times = [at]
        for _ in path:
            times.append(min(times[-1] + dt.timedelta(hours=rng.uniform(2, 96)), ctx.now))
        stamps = {STAMPS[a]: when for a, when in zip(path, times[1:], strict=True) if a in STAMPS}
        concluded = "concluded_at" in stamps
        pk = t[Complaint].add(
            number=number,
            channel=Channel.ONLINE,
            complainant_id=customer.pk,
            complainant_name=names.person(rng),
            target=ComplaintTarget.INSTITUTION,
            institution_id=institution,
            region_id=region.pk,
            type=rng.choice(("quality", "timeliness", "attitude", "fees")),
            content="检测报告迟迟未出具，多次电话催促无果。",
            request="请督促机构尽快出具报告并说明原因。",
            status=status,
            handler_id=staff if path else None,
            received_at=at,
            institution_response="已加派人员，三个工作日内出具报告。"
            if "responded_at" in stamps
            else "",
            conclusion="投诉部分属实，已责令机构整改。" if concluded else "",
            upheld=(rng.random() < 0.5) if concluded else None,
            feedback="处理结果已告知投诉人。" if "fed_back_at" in stamps else "",
            satisfaction="satisfied" if status == C.CLOSED else "",
            **stamps,
        )
        t[ComplaintEvent].add(complaint_id=pk, actor_id=customer.pk, at=at, to_status=C.RECEIVED)
        current = C.RECEIVED
        for action, when in zip(path, times[1:], strict=True):
            target = _target(action, current)
            t[ComplaintEvent].add(
                complaint_id=pk,
                actor_id=customer.pk if action in ("close", "withdraw") else staff,
                at=when,
                from_status=current,
                to_status=target,
                note="已处理。" if action != "close" else "",
            )
            current = C(target)
        audit.append(
            (at, customer.pk, "complaints.receive", "complaints.complaint", pk, number, region.pk)
        )
    for key, value in serial.items():
        if key in last:
            Sequence.objects.filter(key=key).update(last=value)
        else:
            t[Sequence].add(key=key, last=value)
    ctx.counts["complaints"] = scale.complaints
