"""The figures of one period as plain tables: what the dashboard, the
published snapshot, its CSV and the annual summary (PDF, XLSX) all render.

``period_tables`` is the one entry point; its tables are built from the
pre-aggregated figures (onestop.reporting) so a year for a city takes well
under a second: three queries (the figures summed over the region's subtree,
the orders by month, the questionnaires), whatever the amount of data.

Figures are complete up to the last nightly rollup (onestop.reporting.services
.rolled_up_to): today's figures appear tomorrow.

Small samples (WX 8.1.1 results published regularly; HM 5.3): an institution
or station is named only with at least MIN_ORDERS orders (or demands) or
MIN_EVALUATIONS evaluations, and a score is shown only when it rests on
MIN_EVALUATIONS evaluations; the others are summed into one "other" row.
No table carries a person's name, phone or enterprise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from onestop.regions.models import Region

Cell = str | int | float | Decimal | None

MIN_EVALUATIONS = 10
MIN_ORDERS = 5


@dataclasses.dataclass(frozen=True)
class Table:
    key: str  # stable id: "demands", "orders", "clocks", "satisfaction", …
    title: str  # already translated for the active language
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "institutions with fewer than 10 evaluations are not listed"


def period_tables(*, region: Region, start: dt.date, end: dt.date) -> list[Table]:
    """Every table of the period [start, end] (inclusive) for the region's subtree."""
    from onestop.reporting import sections

    return sections.build(region=region, start=start, end=end)
