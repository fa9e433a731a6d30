"""Per institution and per station located in the region (all their orders,
evaluations and complaints count), with a minimum sample (WX 8.1.1, HM 5.3):
a party is named only with at least MIN_ORDERS orders (demands for a
station) or MIN_EVALUATIONS evaluations in the period, and its score only
when it rests on MIN_EVALUATIONS evaluations; the others are summed into
one "other" row so the totals still add up."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onestop.reporting import figures as f
from onestop.reporting.sections import Figures, PartyFigures, mean, share
from onestop.reporting.tables import MIN_EVALUATIONS, MIN_ORDERS, Cell, Table


def _n(values: PartyFigures, metric: str) -> int:
    return int(values[metric][0]) if metric in values else 0


def _t(values: PartyFigures, metric: str) -> Decimal:
    return Decimal(values[metric][1]) if metric in values else Decimal(0)


def _merge(into: PartyFigures, values: PartyFigures) -> None:
    for metric, (count, total) in values.items():
        cell = into.setdefault(metric, [0, Decimal(0)])
        cell[0] += count
        cell[1] += total


def _score(values: PartyFigures) -> tuple[float | None, float | None]:
    """Mean score and dissatisfied share, or nothing below the minimum sample."""
    evaluations = _n(values, f.EVALUATION)
    if evaluations < MIN_EVALUATIONS:
        return None, None
    return (
        mean(_t(values, f.EVALUATION_SCORE), _n(values, f.EVALUATION_SCORE)),
        share(_n(values, f.EVALUATION_BAD), evaluations),
    )


def _split(
    figures: Figures, party: str, volume: Callable[[PartyFigures], int]
) -> tuple[list[tuple[str, PartyFigures]], PartyFigures, int]:
    """The parties meeting the minimum sample (name, figures), largest first,
    and the rest summed."""
    listed: list[tuple[str, PartyFigures]] = []
    others: PartyFigures = {}
    grouped = 0
    for (kind, pid), values in figures.parties.items():
        if kind != party:
            continue
        if volume(values) >= MIN_ORDERS or _n(values, f.EVALUATION) >= MIN_EVALUATIONS:
            listed.append((figures.names.get((kind, pid), "") or "—", values))
        else:
            _merge(others, values)
            grouped += 1
    listed.sort(key=lambda item: (-volume(item[1]), item[0]))
    return listed, others, grouped


def _note(rule: str, grouped: int) -> str:
    rule = rule % {"orders": MIN_ORDERS, "evaluations": MIN_EVALUATIONS}
    if not grouped:
        return rule
    return f"{rule} " + ngettext(
        "%(count)s of them is summed in the last row.",
        "%(count)s of them are summed in the last row.",
        grouped,
    ) % {"count": grouped}


def institutions_table(figures: Figures) -> Table:
    listed, others, grouped = _split(figures, "institution", lambda v: _n(v, f.ORDER_PLACED))

    def row(name: str, values: PartyFigures) -> list[Cell]:
        duration_n = _n(values, f.ORDER_DURATION)
        score, bad = _score(values)
        return [
            name,
            _n(values, f.ORDER_PLACED),
            _n(values, f.ORDER_COMPLETED),
            mean(_t(values, f.ORDER_DURATION), duration_n) if duration_n >= MIN_ORDERS else None,
            _n(values, f.EVALUATION),
            score,
            bad,
            _n(values, f.COMPLAINT_RECEIVED),
        ]

    rows = [row(name, values) for name, values in listed]
    if grouped:
        rows.append(row(_("Other institutions (%(count)s)") % {"count": grouped}, others))
    return Table(
        key="institutions",
        title=_("By institution"),
        columns=[
            _("Institution"),
            _("Orders placed"),
            _("Orders completed"),
            _("Mean working days to completion"),
            _("Evaluations"),
            _("Mean score (1 to 5)"),
            _("Dissatisfied (%)"),
            _("Complaints received"),
        ],
        rows=rows,
        note=_note(
            _(
                "The institutions located in the region, with all their orders. Institutions "
                "with fewer than %(orders)s orders and fewer than %(evaluations)s evaluations in "
                "the period are not named; scores are shown only when based on at least "
                "%(evaluations)s evaluations."
            ),
            grouped,
        ),
    )


def stations_table(figures: Figures) -> Table:
    # A station is named for its demands or its proxy orders, whichever is larger.
    listed, others, grouped = _split(
        figures, "station", lambda v: max(_n(v, f.DEMAND_RECEIVED), _n(v, f.ORDER_PLACED))
    )

    def row(name: str, values: PartyFigures) -> list[Cell]:
        score, _bad = _score(values)
        return [
            name,
            _n(values, f.DEMAND_RECEIVED),
            _n(values, f.ORDER_PLACED),
            _n(values, f.EVALUATION),
            score,
            _n(values, f.COMPLAINT_RECEIVED),
        ]

    rows = [row(name, values) for name, values in listed]
    if grouped:
        rows.append(row(_("Other stations (%(count)s)") % {"count": grouped}, others))
    return Table(
        key="stations",
        title=_("By station"),
        columns=[
            _("Station"),
            _("Demands registered"),
            _("Orders handled on the user's behalf"),
            _("Evaluations of those orders"),
            _("Mean score (1 to 5)"),
            _("Complaints about the station"),
        ],
        rows=rows,
        note=_note(
            _(
                "The stations located in the region. Stations with fewer than %(orders)s demands "
                "or orders and fewer than %(evaluations)s evaluations in the period are not "
                "named; scores are shown only when based on at least %(evaluations)s evaluations."
            ),
            grouped,
        ),
    )
