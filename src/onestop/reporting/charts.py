"""Charts as inline SVG drawn on the server from the tables: no script, no
external asset (the platform runs on intranets). Each chart is an image
with a title and a description; the table printed next to it carries the
same figures, so the chart is never the only way to read them.

Colours come from CSS classes (reporting.css), so the brand colours and a
high-contrast mode apply.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from onestop.reporting.tables import Table

WIDTH = 340
LABEL_H = 16
BAR_H = 14
GAP = 10


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bars(
    *, chart_id: str, title: str, description: str, items: Sequence[tuple[str, float | None]],
    maximum: float, unit: str = "",
) -> SafeString:  # fmt: skip
    """Horizontal bars, the label above each bar (reads on a narrow phone)."""
    step = LABEL_H + BAR_H + GAP
    height = max(step * len(items), step)
    usable = WIDTH - 60
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(items):
        top = index * step
        parts.append(f'<text class="chart-label" x="0" y="{top + 12}">{escape(label)}</text>')
        bar_top = top + LABEL_H
        parts.append(
            f'<rect class="chart-track" x="0" y="{bar_top}" width="{usable}" height="{BAR_H}"/>'
        )
        if value is None:
            parts.append(
                f'<text class="chart-value" x="4" y="{bar_top + 11}">{escape(_("no data"))}</text>'
            )
            continue
        width = 0.0 if maximum <= 0 else max(0.0, min(value / maximum, 1.0)) * usable
        parts.append(
            f'<rect class="chart-bar" x="0" y="{bar_top}" width="{width:.1f}" height="{BAR_H}"/>'
        )
        parts.append(
            f'<text class="chart-value" x="{usable + 6}" y="{bar_top + 11}">'
            f"{escape(_number(value))}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def columns(
    *, chart_id: str, title: str, description: str, categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
) -> SafeString:  # fmt: skip
    """Grouped columns per category (months), with a legend."""
    group = 8 + 10 * len(series)
    plot_w = max(WIDTH - 40, group * len(categories))
    plot_h = 140
    top, left = 24, 36
    height = top + plot_h + 30
    peak = max([max(values, default=0) for _name, values in series] + [1])
    parts = [
        f'<svg id="{escape(chart_id)}" class="chart" role="img" '
        f'viewBox="0 0 {left + plot_w + 4} {height}" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    x = left
    for number, (name, _values) in enumerate(series):
        parts.append(
            f'<rect class="chart-series-{number}" x="{x}" y="4" width="10" height="10"/>'
            f'<text class="chart-label" x="{x + 14}" y="13">{escape(name)}</text>'
        )
        x += 14 + 9 * len(name) + 16
    base = top + plot_h
    parts.append(f'<text class="chart-axis" x="0" y="{top + 8}">{peak}</text>')
    parts.append(f'<text class="chart-axis" x="0" y="{base}">0</text>')
    parts.append(
        f'<line class="chart-baseline" x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}"/>'
    )
    slot = plot_w / max(len(categories), 1)
    for index, category in enumerate(categories):
        x0 = left + index * slot + (slot - group + 8) / 2
        for number, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else 0
            bar_h = plot_h * value / peak
            parts.append(
                f'<rect class="chart-series-{number}" x="{x0 + number * 10:.1f}" '
                f'y="{base - bar_h:.1f}" width="9" height="{bar_h:.1f}"/>'
            )
        parts.append(
            f'<text class="chart-axis" x="{left + index * slot + slot / 2:.1f}" '
            f'y="{base + 14}" text-anchor="middle">{escape(category)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def charts_for(tables: Sequence[Table]) -> dict[str, SafeString]:
    """The chart drawn beside some tables, by table key."""
    charts: dict[str, SafeString] = {}
    for table in tables:
        if table.key == "satisfaction" and table.rows:
            charts[table.key] = bars(
                chart_id="chart-satisfaction",
                title=_("Satisfied share by dimension"),
                description=_("Bars of the satisfied share (%) of each dimension; the table "
                              "below has the same figures."),
                items=[(str(row[0]), _float(row[3])) for row in table.rows],
                maximum=100.0,
                unit="%",
            )  # fmt: skip
        elif table.key == "orders_by_month" and table.rows:
            short = len({str(row[0])[:4] for row in table.rows}) == 1
            charts[table.key] = columns(
                chart_id="chart-orders",
                title=_("Orders placed and completed by month"),
                description=_("Columns of the orders placed and completed in each month; the "
                              "table below has the same figures."),
                categories=[str(row[0])[5:] if short else str(row[0])[2:] for row in table.rows],
                series=[
                    (str(table.columns[1]), [_int(row[1]) for row in table.rows]),
                    (str(table.columns[2]), [_int(row[2]) for row in table.rows]),
                ],
            )  # fmt: skip
    return charts


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0
