"""The figures of one period as plain tables: what the dashboard, the
published snapshot, its CSV and the annual summary (PDF, XLSX) all render.

``period_tables`` is the one entry point; its tables are built from the
pre-aggregated figures (onestop.reporting) so a year for a city takes well
under a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from onestop.regions.models import Region

Cell = str | int | float | Decimal | None


@dataclasses.dataclass(frozen=True)
class Table:
    key: str  # stable id: "demands", "orders", "clocks", "satisfaction", …
    title: str  # already translated for the active language
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""  # e.g. "institutions with fewer than 10 evaluations are not listed"


def period_tables(*, region: Region, start: dt.date, end: dt.date) -> list[Table]:
    """Every table of the period [start, end] (inclusive) for the region's subtree."""
    raise NotImplementedError("built by the reporting part of issue 6")
