"""What the rollup counts: for each figure a row-level query over the source
tables (demands, orders, SLA clocks, evaluations, complaints) for a range of
days; onestop.reporting.services sums each in SQL (INSERT … SELECT … GROUP
BY), so no source row travels to Python.

Each figure is stored at up to three levels:
  * TOTAL — by the source row's own region (the figures of an area);
  * INSTITUTION — by institution, at the institution's region;
  * STATION — by station, at the station's region.
A region's tables sum the rows of its subtree at each level, so its
institution table lists the institutions located in the region.

Which day a figure belongs to (Asia/Shanghai dates):
  * demands, orders placed, evaluations, complaints received: the day the
    row was created (received);
  * orders completed / declined / cancelled: the day of that transition;
  * evaluations: the day submitted, unless an upheld appeal took them out
    (``counted``); the nightly run rebuilds the days of such reviews;
  * complaints concluded and closed: the day of the conclusion / closure;
  * SLA clocks: the day their outcome became known: a met clock on the day it
    stopped, a breached one on the day its deadline passed (``due_at``), even
    if it stops later or is still running — so each clock counts once.

Durations ("mean working days") join each row to the working days between
its two dates, which the calendar (onestop.core.workdays) counts once per
distinct pair of dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from typing import Any

from django.db.models import CharField, F, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from onestop.complaints.models import Complaint
from onestop.core import workdays
from onestop.core.models import SlaClock, SlaOutcome
from onestop.demands.models import Demand
from onestop.evaluations.models import Evaluation, SurveyForm
from onestop.orders.models import Order, OrderEvent, OrderStatus

# Metrics (Figure.metric).
DEMAND_RECEIVED = "demand.received"  # key: source
ORDER_PLACED = "order.placed"
ORDER_PROXIED = "order.proxied"  # placed through a station on the user's behalf
ORDER_COMPLETED = "order.completed"
ORDER_DURATION = "order.duration"  # total: working days from order to completion
ORDER_DECLINED = "order.declined"
ORDER_CANCELLED = "order.cancelled"
CLOCK_MET = "clock.met"  # key: clock kind
CLOCK_BREACHED = "clock.breached"  # key: clock kind
EVALUATION = "evaluation"
EVALUATION_SCORE = "evaluation.score"  # count: scored, total: sum of institution scores
EVALUATION_BAD = "evaluation.bad"
ANSWER = "answer"  # key: "<form id>:<question key>:<answer value>"; totals only
COMPLAINT_RECEIVED = "complaint.received"  # key: type
COMPLAINT_CONCLUDED = "complaint.concluded"
COMPLAINT_UPHELD = "complaint.upheld"
COMPLAINT_CLOSED = "complaint.closed"  # key: the complainant's satisfaction
COMPLAINT_DURATION = "complaint.duration"  # total: working days from receipt to closure


class Level(enum.Enum):
    TOTAL = "total"
    INSTITUTION = "institution"
    STATION = "station"


# The columns a source's rows carry (aliases of its values()):
#   r_day, r_region; r_inst and r_inst_region; r_station and r_station_region;
#   r_key, r_total, r_since (the start date of a duration), where relevant.
LEVEL_COLUMNS = {
    Level.TOTAL: ("r_region", None, None),
    Level.INSTITUTION: ("r_inst_region", "r_inst", None),
    Level.STATION: ("r_station_region", None, "r_station"),
}


@dataclasses.dataclass(frozen=True)
class Source:
    metric: str
    rows: QuerySet[Any]  # row level, not grouped
    levels: tuple[Level, ...] = (Level.TOTAL,)
    key: bool = False  # rows carry r_key (kept at the TOTAL level only)
    total: bool = False  # rows carry r_total, summed
    duration: bool = False  # rows carry r_since; the total is the working days to r_day


def _day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=workdays.TZ)


def _within(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(
        **{
            f"{field}__gte": workdays.start_of_day(start),
            f"{field}__lt": workdays.end_of_day(end),
        }
    )


ALL = (Level.TOTAL, Level.INSTITUTION, Level.STATION)


def _demands(start: dt.date, end: dt.date) -> list[Source]:
    rows = (
        Demand.objects.filter(_within("created_at", start, end))
        .values(
            r_day=_day("created_at"),
            r_region=F("region_id"),
            r_station=F("station_id"),
            r_station_region=F("station__region_id"),
            r_key=F("source"),
        )
        .order_by()
    )
    return [Source(DEMAND_RECEIVED, rows, (Level.TOTAL, Level.STATION), key=True)]


def _order_parties(**extra: Any) -> dict[str, Any]:
    return {
        "r_region": F("region_id"),
        "r_inst": F("institution_id"),
        "r_inst_region": F("institution__region_id"),
        "r_station": F("proxy_station_id"),
        "r_station_region": F("proxy_station__region_id"),
        **extra,
    }


def _orders(start: dt.date, end: dt.date) -> list[Source]:
    placed = Order.objects.filter(_within("created_at", start, end))
    placed_rows = placed.values(**_order_parties(r_day=_day("created_at"))).order_by()
    proxied = placed.filter(proxy_station__isnull=False).values(
        r_day=_day("created_at"), r_region=F("region_id")
    )
    completed = (
        Order.objects.filter(_within("completed_at", start, end), status=OrderStatus.COMPLETED)
        .values(**_order_parties(r_day=_day("completed_at"), r_since=_day("created_at")))
        .order_by()
    )
    ended = OrderEvent.objects.filter(_within("at", start, end)).exclude(from_status=F("to_status"))

    def ended_rows(status: str) -> QuerySet[Any]:
        return (
            ended.filter(to_status=status)
            .values(
                r_day=_day("at"),
                r_region=F("order__region_id"),
                r_inst=F("order__institution_id"),
                r_inst_region=F("order__institution__region_id"),
                r_station=F("order__proxy_station_id"),
                r_station_region=F("order__proxy_station__region_id"),
            )
            .order_by()
        )

    return [
        Source(ORDER_PLACED, placed_rows, ALL),
        Source(ORDER_PROXIED, proxied.order_by()),
        Source(ORDER_COMPLETED, completed, ALL),
        Source(ORDER_DURATION, completed, ALL, duration=True),
        Source(ORDER_DECLINED, ended_rows(OrderStatus.DECLINED), ALL),
        Source(ORDER_CANCELLED, ended_rows(OrderStatus.CANCELLED), ALL),
    ]


def _clocks(start: dt.date, end: dt.date) -> list[Source]:
    clocks = SlaClock.objects.filter(region__isnull=False)
    met = clocks.filter(_within("stopped_at", start, end), outcome=SlaOutcome.MET).values(
        r_day=_day("stopped_at"), r_region=F("region_id"), r_key=F("kind")
    )
    # Breached: stopped late, or still running (or paused only after) past the deadline.
    late = (
        Q(outcome=SlaOutcome.BREACHED)
        | Q(stopped_at__isnull=True, paused_at__isnull=True)
        | Q(stopped_at__isnull=True, paused_at__gt=F("due_at"))
    )
    breached = (
        clocks.filter(_within("due_at", start, end))
        .filter(late)
        .values(r_day=_day("due_at"), r_region=F("region_id"), r_key=F("kind"))
    )
    return [
        Source(CLOCK_MET, met.order_by(), key=True),
        Source(CLOCK_BREACHED, breached.order_by(), key=True),
    ]


def appeal_days_since(instant: dt.datetime) -> list[dt.date]:
    """The days of the reviews an upheld appeal took out after ``instant``."""
    days = (
        Evaluation.objects.filter(counted=False, appeal__decided_at__gte=instant)
        .annotate(day=_day("created_at"))
        .values_list("day", flat=True)
        .distinct()
    )
    return sorted(days)


def question_keys() -> list[str]:
    """Every question key of every questionnaire (a handful)."""
    keys: set[str] = set()
    for definition in SurveyForm.objects.values_list("definition", flat=True):
        for part in definition["parts"]:
            keys.update(str(question["key"]) for question in part["questions"])
    return sorted(keys)


def _evaluations(start: dt.date, end: dt.date) -> list[Source]:
    # Reviews taken out by an upheld appeal do not count (onestop.evaluations).
    counted = Evaluation.objects.filter(_within("created_at", start, end), counted=True)
    # The station: the one that handled the order for the user, or the
    # consultation's demand.
    parties = {
        "r_day": _day("created_at"),
        "r_region": F("region_id"),
        "r_inst": F("institution_id"),
        "r_inst_region": F("institution__region_id"),
        "r_station": Coalesce("order__proxy_station_id", "demand__station_id"),
        "r_station_region": Coalesce(
            "order__proxy_station__region_id", "demand__station__region_id"
        ),
    }
    sources = [
        Source(EVALUATION, counted.values(**parties).order_by(), ALL),
        Source(
            EVALUATION_SCORE,
            counted.filter(institution_score__isnull=False)
            .values(**parties, r_total=F("institution_score"))
            .order_by(),
            ALL,
            total=True,
        ),
        Source(EVALUATION_BAD, counted.filter(bad=True).values(**parties).order_by(), ALL),
    ]
    # The answers, per question, in SQL (jsonb ->> on PostgreSQL, json_extract
    # on SQLite): by region only, the tables report them by area.
    for key in question_keys():
        answers = (
            counted.alias(value=KeyTextTransform(key, "answers"))
            .filter(value__isnull=False)
            .values(
                r_day=_day("created_at"),
                r_region=F("region_id"),
                r_key=Concat(
                    Cast("form_id", CharField()),
                    Value(f":{key}:"),
                    KeyTextTransform(key, "answers"),
                    output_field=CharField(),
                ),
            )
            .order_by()
        )
        sources.append(Source(ANSWER, answers, key=True))
    return sources


def _complaints(start: dt.date, end: dt.date) -> list[Source]:
    def parties(field: str, **extra: Any) -> dict[str, Any]:
        return {
            "r_day": _day(field),
            "r_region": F("region_id"),
            "r_inst": F("institution_id"),
            "r_inst_region": F("institution__region_id"),
            "r_station": F("station_id"),
            "r_station_region": F("station__region_id"),
            **extra,
        }

    received = Complaint.objects.filter(_within("received_at", start, end)).values(
        **parties("received_at", r_key=F("type"))
    )
    concluded = Complaint.objects.filter(_within("concluded_at", start, end))
    closed = Complaint.objects.filter(_within("closed_at", start, end)).values(
        **parties("closed_at", r_key=F("satisfaction"), r_since=_day("received_at"))
    )
    return [
        Source(COMPLAINT_RECEIVED, received.order_by(), ALL, key=True),
        Source(COMPLAINT_CONCLUDED, concluded.values(**parties("concluded_at")).order_by(), ALL),
        Source(
            COMPLAINT_UPHELD,
            concluded.filter(upheld=True).values(**parties("concluded_at")).order_by(),
            ALL,
        ),
        Source(COMPLAINT_CLOSED, closed.order_by(), key=True),
        Source(COMPLAINT_DURATION, closed.order_by(), duration=True),
    ]


def sources(*, start: dt.date, end: dt.date) -> list[Source]:
    """Every figure of the days start..end (inclusive), as row-level queries."""
    return [
        *_demands(start, end),
        *_orders(start, end),
        *_clocks(start, end),
        *_evaluations(start, end),
        *_complaints(start, end),
    ]
