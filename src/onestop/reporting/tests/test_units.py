"""Periods and charts without the database."""

from __future__ import annotations

import datetime as dt

from onestop.reporting import charts, periods
from onestop.reporting.tables import Table


def test_periods_split_into_whole_months_and_days():
    whole, partial = periods.split(dt.date(2025, 11, 21), dt.date(2026, 2, 10))
    assert whole == [dt.date(2025, 12, 1), dt.date(2026, 1, 1)]
    assert partial == [
        (dt.date(2025, 11, 21), dt.date(2025, 11, 30)),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 10)),
    ]
    assert periods.quarter(2026, 4).end == dt.date(2026, 12, 31)
    assert periods.month(2024, 2).end == dt.date(2024, 2, 29)
    assert periods.canonical("quarter", dt.date(2026, 8, 1)) is None
    assert periods.canonical("year", dt.date(2026, 1, 1)) == periods.year(2026)


def test_charts_escape_their_text_and_show_missing_values():
    table = Table(
        key="satisfaction",
        title="t",
        columns=["d", "n", "m", "s", "b"],
        rows=[["<script>alert(1)</script>", 3, 4.0, 66.7, 0.0], ["流程", 0, None, None, None]],
    )
    svg = str(charts.charts_for([table])["satisfaction"])
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert ">66.7%</text>" in svg
    assert svg.count('class="chart-bar"') == 1  # no bar for the row without figures
    assert 'role="img"' in svg
