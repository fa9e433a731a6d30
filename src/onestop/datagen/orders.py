"""Phase: orders with their timeline (OrderEvent rows that replay the state
machine of onestop.orders.rules), acceptance clocks and daily numbers; then
invitations and evaluations of completed orders (HM Appendix A in Hami, the
five-level form elsewhere), about one in ten bad with its rectification case."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType

from onestop.core import workdays
from onestop.datagen import names
from onestop.datagen.clocks import Clocks
from onestop.datagen.context import Context
from onestop.evaluations.models import (
    CALLBACK_CLOCK,
    CALLBACK_WORKING_DAYS,
    CallbackMethod,
    CaseStatus,
    Evaluation,
    Invitation,
    RectificationCase,
)
from onestop.evaluations.services.submission import score_and_bad
from onestop.evaluations.surveys import FIVE_LEVEL_CODE, HM_CODE
from onestop.orders import rules
from onestop.orders.models import (
    ACCEPTANCE_CLOCK,
    Order,
    OrderEvent,
    OrderNumberCounter,
    OrderStatus,
    Party,
)

S, P = OrderStatus, Party
# Final status → share; open orders are recent (placed in the last month).
SHARES = (
    (S.COMPLETED, 0.70), (S.CANCELLED, 0.08), (S.DECLINED, 0.04), (S.IN_SERVICE, 0.06),
    (S.DELIVERED, 0.04), (S.ACCEPTED, 0.03), (S.WAITING_USER, 0.02), (S.SUBMITTED, 0.03),
)  # fmt: skip
OPEN_DAYS = 30


def path_to(status: str, rng: Any) -> list[str]:
    """A sequence of actions of the state machine from submitted to ``status``."""
    to_service = ["accept", "start"]
    if status == S.SUBMITTED:
        return []
    if status == S.DECLINED:
        return ["decline"]
    if status == S.CANCELLED:
        return ["cancel"] if rng.random() < 0.6 else ["accept", "cancel"]
    if status == S.ACCEPTED:
        return ["accept"]
    if status == S.IN_SERVICE:
        return to_service + (["wait", "resume"] if rng.random() < 0.2 else [])
    if status == S.WAITING_USER:
        return [*to_service, "wait"]
    middle = ["wait", "resume"] if rng.random() < 0.15 else []
    delivered = [*to_service, *middle, "deliver"]
    if rng.random() < 0.08:
        delivered += ["rework", "deliver"]
    return delivered if status == S.DELIVERED else [*delivered, "complete"]


def _party(action: str) -> str:
    return P.INSTITUTION if action in {"accept", "decline", "start", "wait", "deliver"} else P.USER


NOTES = {
    "decline": "本机构暂无该项目的检测能力，建议选择其他机构。",
    "wait": "请补充送检样品及产品技术资料。",
    "rework": "报告中部分参数与委托不一致，请复核。",
}


def orders(ctx: Context, audit: list[tuple[Any, ...]]) -> list[tuple[int, Any]]:
    """Writes the orders; returns (order pk, facts) of the completed ones."""
    rng, t, scale = ctx.rng, ctx.tables, ctx.scale
    clocks = Clocks(ctx)
    order_type = ContentType.objects.get_for_model(Order).pk
    statuses = [s for s, _ in SHARES]
    weights = [w for _, w in SHARES]
    placed: list[tuple[dt.datetime, str]] = []
    for _ in range(scale.orders):
        chosen: str = rng.choices(statuses, weights)[0]
        recent = chosen not in rules.CLOSED_STATUSES
        at = ctx.now - dt.timedelta(
            days=rng.uniform(0.01, min(OPEN_DAYS, scale.days) if recent else scale.days)
        )
        placed.append((at, chosen))
    placed.sort()
    days = Counter(workdays.local_date(at) for at, _ in placed)
    last = dict(OrderNumberCounter.objects.filter(day__in=list(days)).values_list("day", "last"))
    serial = dict(last)
    completed: list[tuple[int, Any]] = []
    for at, status in placed:
        customer = rng.choice(ctx.customers)
        offering = rng.choice(ctx.offerings)
        staff = ctx.institution_staff[offering.institution_pk]
        day = workdays.local_date(at)
        serial[day] = serial.get(day, 0) + 1
        number = f"DD{day:%Y%m%d}{serial[day]:05d}"
        actions = path_to(status, rng)
        times = [at]
        for _ in actions:
            times.append(min(times[-1] + dt.timedelta(hours=rng.uniform(0.5, 60)), ctx.now))
        proxy = rng.random() < 0.05 and ctx.stations
        pk = t[Order].add(
            number=number,
            user_id=customer.pk,
            enterprise_id=customer.enterprise_pk,
            offering_id=offering.pk,
            institution_id=offering.institution_pk,
            region_id=customer.region.pk,
            status=status,
            description=f"委托{offering.name}，样品{rng.randint(1, 20)}件，请尽快安排。",
            contact_name=names.person(rng),
            price=rng.randint(5, 500) * 10,
            proxy_station_id=rng.choice(ctx.stations)[0] if proxy else None,
            created_at=at,
            updated_at=times[-1],
            completed_at=times[-1] if status == S.COMPLETED else None,
        )
        t[OrderEvent].add(
            order_id=pk, actor_id=customer.pk, at=at, from_status="",
            to_status=S.SUBMITTED, party=P.USER,
        )  # fmt: skip
        current: str = S.SUBMITTED
        stopped = None
        for action, when in zip(actions, times[1:], strict=True):
            party = _party(action)
            rule = rules.rule_for(current, action, [party])
            if rule is None:  # pragma: no cover - path_to follows the table
                raise AssertionError(f"{current} --{action}-> not in the table")
            t[OrderEvent].add(
                order_id=pk,
                actor_id=staff if party == P.INSTITUTION else customer.pk,
                at=when,
                from_status=current,
                to_status=rule.target,
                party=party,
                note=NOTES.get(action, ""),
            )
            if stopped is None and action in {"accept", "decline", "cancel"}:
                stopped = when
            current = rule.target
        clocks.add(
            subject_type=order_type,
            subject_id=pk,
            kind=ACCEPTANCE_CLOCK,
            region_id=customer.region.pk,
            days=rules.ACCEPTANCE_WORKING_DAYS,
            started=at,
            stopped=stopped,
        )
        audit.append(
            (at, customer.pk, "orders.place", "orders.order", pk, number, customer.region.pk)
        )
        if status == S.COMPLETED:
            completed.append((pk, (customer, offering, times[-1])))
    for day, value in serial.items():
        if day in last:
            OrderNumberCounter.objects.filter(day=day).update(last=value)
        else:
            t[OrderNumberCounter].add(day=day, last=value)
    ctx.counts["orders"] = scale.orders
    return completed


def _answers(ctx: Context, form: Any, bad: bool) -> dict[str, str]:
    rng = ctx.rng
    definition = form.definition
    good = {k: [s["value"] for s in definition[k] if not s["bad"]] for k in ("scale", "yes_no")}
    poor = {k: [s["value"] for s in definition[k] if s["bad"]] for k in ("scale", "yes_no")}
    questions = form.questions()
    answers = {q["key"]: rng.choice(good[q["type"]]) for q in questions}
    if bad:
        for q in rng.sample(questions, k=min(len(questions), rng.randint(1, 2))):
            answers[q["key"]] = rng.choice(poor[q["type"]])
    return answers


def evaluations(
    ctx: Context, completed: list[tuple[int, Any]], audit: list[tuple[Any, ...]]
) -> None:
    rng, t = ctx.rng, ctx.tables
    case_type = ContentType.objects.get_for_model(RectificationCase).pk
    clocks = Clocks(ctx)
    chosen = set(rng.sample(range(len(completed)), k=min(ctx.scale.evaluations, len(completed))))
    made = 0
    for i, (order_pk, (customer, offering, done)) in enumerate(completed):
        region = customer.region
        form = ctx.forms[HM_CODE if region.profile == "HM" else FIVE_LEVEL_CODE]
        used = done + dt.timedelta(hours=rng.uniform(1, 72)) if i in chosen else None
        if used is not None and used > ctx.now:
            used = None
        invitation = t[Invitation].add(
            order_id=order_pk,
            form_id=form.pk,
            created_at=done,
            expires_at=done + dt.timedelta(days=30),
            used_at=used,
        )
        if used is None:
            continue
        answers = _answers(ctx, form, bad=rng.random() < 0.10)
        score, bad_keys = score_and_bad(Invitation(form=form), answers)
        evaluation = t[Evaluation].add(
            invitation_id=invitation,
            order_id=order_pk,
            form_id=form.pk,
            institution_id=offering.institution_pk,
            region_id=region.pk,
            rater_id=customer.pk,
            answers=answers,
            comment=rng.choice(("", "", "服务很专业，报告出得很快。", "希望进一步缩短周期。")),
            signed_on=workdays.local_date(used),
            institution_score=score,
            bad=bool(bad_keys),
            created_at=used,
        )
        made += 1
        audit.append(
            (used, customer.pk, "evaluations.submit", "evaluations.evaluation", evaluation,
             f"evaluation {evaluation}", region.pk)
        )  # fmt: skip
        if bad_keys:
            closed = used < ctx.now - dt.timedelta(days=20)
            called = used + dt.timedelta(days=rng.uniform(1, 10)) if closed else None
            case = t[RectificationCase].add(
                evaluation_id=evaluation,
                region_id=region.pk,
                institution_id=offering.institution_pk,
                status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                reasons=bad_keys,
                opened_at=used,
                callback_method=CallbackMethod.PHONE if closed else "",
                callback_outcome="已电话回访，机构已整改，用户确认。" if closed else "",
                called_back_at=called,
                called_back_by_id=ctx.staff_for(region) if closed else None,
                user_confirmed=closed,
                closed_at=called,
            )
            clocks.add(
                subject_type=case_type,
                subject_id=case,
                kind=CALLBACK_CLOCK,
                region_id=region.pk,
                days=CALLBACK_WORKING_DAYS,
                started=used,
                stopped=called,
            )
    ctx.counts["evaluations"] = made


def refresh_ratings() -> None:
    """Institution rating = mean of counted scores (as rating_recompute does), in SQL."""
    from django.db.models import Avg, Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from onestop.institutions.models import Institution

    counted = Evaluation.objects.filter(
        institution=OuterRef("pk"), counted=True, institution_score__isnull=False
    ).values("institution")
    Institution.objects.update(
        rating=Coalesce(Subquery(counted.annotate(m=Avg("institution_score")).values("m")), 0),
        rating_count=Coalesce(Subquery(counted.annotate(c=Count("id")).values("c")), 0),
    )
