"""The tables of onestop.reporting.tables, built from the summed figures:
three queries (the figures of the region's subtree summed per metric, key,
institution and station; the orders by month; the questionnaires)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from onestop.complaints.models import ComplaintType, Satisfaction
from onestop.core.sla_kinds import sla_kind_label
from onestop.demands.models import DemandSource
from onestop.evaluations.models import SurveyForm
from onestop.regions.models import Region
from onestop.reporting import figures as f
from onestop.reporting import periods
from onestop.reporting.models import Figure, Grain
from onestop.reporting.tables import Cell, Table

# Clock kinds of the demand flow and of complaints (WX 7.2.2.2.1, 7.4.3).
RESPONSE_CLOCK = "demand_response"
RECOMMENDATION_CLOCK = "demand_recommendation"
COMPLAINT_CLOCK = "complaint_investigation"

PartyFigures = dict[str, list[Any]]  # metric -> [count, total]


@dataclasses.dataclass
class Figures:
    """The period's figures summed over the region's subtree: the area's
    totals, and the institutions and stations located in it."""

    metrics: dict[tuple[str, str], list[Any]]  # (metric, key) -> [count, total]
    parties: dict[tuple[str, int], PartyFigures]  # ("institution" | "station", id) -> …
    names: dict[tuple[str, int], str]
    months: dict[tuple[dt.date, str], int]  # (first of month, metric) -> count
    forms: dict[int, dict[str, Any]]  # form id -> id, title, version, definition

    def count(self, metric: str, key: str | None = None) -> int:
        if key is not None:
            return int(self.metrics.get((metric, key), [0])[0])
        return sum(int(v[0]) for (m, _k), v in self.metrics.items() if m == metric)

    def total(self, metric: str) -> Decimal:
        return sum(
            (Decimal(v[1]) for (m, _k), v in self.metrics.items() if m == metric), Decimal(0)
        )

    def by_key(self, metric: str) -> dict[str, int]:
        return {k: int(v[0]) for (m, k), v in self.metrics.items() if m == metric}


def load(*, region: Region, start: dt.date, end: dt.date) -> Figures:
    """Whole months from the month rows, the rest from the day rows."""
    whole, partial = periods.split(start, end)
    when = Q(grain=Grain.MONTH, day__in=whole) if whole else Q(pk__in=[])
    for first, last in partial:
        when |= Q(grain=Grain.DAY, day__gte=first, day__lte=last)
    rows = Figure.objects.filter(when, region__path__startswith=region.path)

    metrics: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    parties: dict[tuple[str, int], PartyFigures] = defaultdict(
        lambda: defaultdict(lambda: [0, Decimal(0)])
    )
    names: dict[tuple[str, int], str] = {}
    grouped = (
        rows.values(
            "metric", "key", "institution_id", "station_id", "institution__name", "station__name"
        )
        .annotate(n=Sum("count"), t=Sum("total"))
        .order_by()
    )
    for row in grouped:
        n, t = int(row["n"]), Decimal(row["t"] or 0)
        if row["institution_id"] is not None:
            party = ("institution", row["institution_id"])
            names[party] = row["institution__name"]
        elif row["station_id"] is not None:
            party = ("station", row["station_id"])
            names[party] = row["station__name"]
        else:
            cell = metrics[(row["metric"], row["key"])]
            cell[0] += n
            cell[1] += t
            continue
        value = parties[party][row["metric"]]
        value[0] += n
        value[1] += t

    months: dict[tuple[dt.date, str], int] = defaultdict(int)
    monthly = (
        rows.filter(
            metric__in=[f.ORDER_PLACED, f.ORDER_COMPLETED, f.ORDER_DECLINED, f.ORDER_CANCELLED],
            institution__isnull=True,
            station__isnull=True,
        )
        .annotate(month=TruncMonth("day"))
        .values("month", "metric")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for month in monthly:
        months[(month["month"], month["metric"])] += int(month["n"])

    forms: dict[int, dict[str, Any]] = {
        form["id"]: dict(form)
        for form in SurveyForm.objects.values("id", "title", "version", "definition")
    }
    return Figures(
        metrics=dict(metrics), parties=dict(parties), names=names, months=months, forms=forms
    )


def share(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(float(part) * 100 / float(whole), 1) if whole else None


def mean(total: int | Decimal, count: int) -> float | None:
    return round(float(total) / count, 2) if count else None


def _clock(figures: Figures, kind: str) -> tuple[int, int]:
    """(met, decided) of one clock kind."""
    met = figures.count(f.CLOCK_MET, kind)
    return met, met + figures.count(f.CLOCK_BREACHED, kind)


def indicator_columns() -> list[str]:
    return [_("Indicator"), pgettext("statistics", "Number"), _("Share (%)")]


def demands_table(figures: Figures) -> Table:
    received = figures.count(f.DEMAND_RECEIVED)
    online = figures.count(f.DEMAND_RECEIVED, DemandSource.ONLINE)
    responded, responses = _clock(figures, RESPONSE_CLOCK)
    recommended, recommendations = _clock(figures, RECOMMENDATION_CLOCK)
    rows: list[list[Cell]] = [
        [_("Demands received"), received, None],
        [_("Published online by users"), online, share(online, received)],
        [_("Registered by staff (phone, on site, letter, visit)"), received - online,
         share(received - online, received)],
        [_("Responses due or given"), responses, None],
        [_("Responded within 1 working day"), responded, share(responded, responses)],
        [_("Recommendations due or given"), recommendations, None],
        [_("Recommended within 3 working days"), recommended,
         share(recommended, recommendations)],
    ]  # fmt: skip
    return Table(
        key="demands",
        title=_("Demands"),
        columns=indicator_columns(),
        rows=rows,
        note=_(
            "A deadline counts in the period in which it was met or in which it passed "
            "without being met (WX 7.2.2.2.1)."
        ),
    )


def orders_table(figures: Figures) -> Table:
    placed = figures.count(f.ORDER_PLACED)
    proxied = figures.count(f.ORDER_PROXIED)
    completed = figures.count(f.ORDER_COMPLETED)
    measured = figures.count(f.ORDER_DURATION)
    rows: list[list[Cell]] = [
        [_("Orders placed"), placed, None],
        [_("Placed through a station on the user's behalf"), proxied, share(proxied, placed)],
        [_("Orders completed"), completed, None],
        [_("Orders declined by the institution"), figures.count(f.ORDER_DECLINED), None],
        [_("Orders cancelled"), figures.count(f.ORDER_CANCELLED), None],
        [_("Mean working days from order to completion"),
         mean(figures.total(f.ORDER_DURATION), measured), None],
    ]  # fmt: skip
    return Table(key="orders", title=_("Orders"), columns=indicator_columns(), rows=rows)


def orders_by_month_table(figures: Figures, start: dt.date, end: dt.date) -> Table:
    metrics = (f.ORDER_PLACED, f.ORDER_COMPLETED, f.ORDER_DECLINED, f.ORDER_CANCELLED)
    rows: list[list[Cell]] = [
        [first.strftime("%Y-%m"), *(figures.months.get((first, m), 0) for m in metrics)]
        for first in periods.months_between(start, end)
    ]
    return Table(
        key="orders_by_month",
        title=_("Orders by month"),
        columns=[_("Month"), _("Placed"), _("Completed"), _("Declined"), _("Cancelled")],
        rows=rows,
    )


def clocks_table(figures: Figures) -> Table:
    kinds = {k for (m, k) in figures.metrics if m in (f.CLOCK_MET, f.CLOCK_BREACHED)}
    rows: list[list[Cell]] = []
    for kind in sorted(kinds, key=sla_kind_label):
        met, decided = _clock(figures, kind)
        rows.append([sla_kind_label(kind), decided, met, decided - met, share(met, decided)])
    return Table(
        key="clocks",
        title=_("Deadlines met"),
        columns=[_("Deadline"), _("Due or met"), _("Met"), _("Missed"), _("Met on time (%)")],
        rows=rows,
        note=_("Deadlines in working days; a deadline counts once, when it is met or missed."),
    )


def evaluations_table(figures: Figures) -> Table:
    received = figures.count(f.EVALUATION)
    bad = figures.count(f.EVALUATION_BAD)
    scored = figures.count(f.EVALUATION_SCORE)
    rows: list[list[Cell]] = [
        [_("Evaluations received"), received, None],
        [_("Dissatisfied or problem not solved"), bad, share(bad, received)],
        [_("Mean score of the institutions (1 to 5)"),
         mean(figures.total(f.EVALUATION_SCORE), scored), None],
    ]  # fmt: skip
    return Table(
        key="evaluations",
        title=_("User satisfaction evaluations"),
        columns=indicator_columns(),
        rows=rows,
        note=_("Questionnaires filled in by users after the service (WX 8.1.2)."),
    )


def complaints_table(figures: Figures) -> Table:
    received = figures.count(f.COMPLAINT_RECEIVED)
    concluded = figures.count(f.COMPLAINT_CONCLUDED)
    upheld = figures.count(f.COMPLAINT_UPHELD)
    closed = figures.count(f.COMPLAINT_CLOSED)
    measured = figures.count(f.COMPLAINT_DURATION)
    in_time, decided = _clock(figures, COMPLAINT_CLOCK)
    answered = closed - figures.count(f.COMPLAINT_CLOSED, "")
    satisfied = figures.count(f.COMPLAINT_CLOSED, Satisfaction.SATISFIED) + figures.count(
        f.COMPLAINT_CLOSED, Satisfaction.BASICALLY
    )
    rows: list[list[Cell]] = [
        [_("Complaints received"), received, None],
        [_("Investigated and forwarded within 7 working days"), in_time, share(in_time, decided)],
        [_("Complaints concluded"), concluded, None],
        [_("Upheld"), upheld, share(upheld, concluded)],
        [_("Complaints closed"), closed, None],
        [_("Mean working days from receipt to closure"),
         mean(figures.total(f.COMPLAINT_DURATION), measured), None],
        [_("Complainants satisfied or basically satisfied with the handling"), satisfied,
         share(satisfied, answered)],
    ]  # fmt: skip
    return Table(
        key="complaints",
        title=_("Complaints"),
        columns=indicator_columns(),
        rows=rows,
        note=_("Complaints are counted when received, concluded and closed (WX 7.4.3)."),
    )


def complaint_types_table(figures: Figures) -> Table:
    received = figures.by_key(f.COMPLAINT_RECEIVED)
    whole = sum(received.values())
    rows: list[list[Cell]] = [
        [str(label), received.get(value, 0), share(received.get(value, 0), whole)]
        for value, label in ComplaintType.choices
    ]
    return Table(
        key="complaint_types",
        title=_("Complaints by type"),
        columns=[_("Type"), pgettext("statistics", "Received"), _("Share (%)")],
        rows=rows,
    )


def build(*, region: Region, start: dt.date, end: dt.date) -> list[Table]:
    from onestop.reporting import parties, satisfaction

    figures = load(region=region, start=start, end=end)
    return [
        demands_table(figures),
        orders_table(figures),
        orders_by_month_table(figures, start, end),
        clocks_table(figures),
        evaluations_table(figures),
        satisfaction.dimensions_table(figures),
        satisfaction.questions_table(figures),
        complaints_table(figures),
        complaint_types_table(figures),
        parties.institutions_table(figures),
        parties.stations_table(figures),
    ]
