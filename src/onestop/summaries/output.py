"""The annual summary's two files: an A4 PDF and an Excel workbook.

The PDF is laid out by WeasyPrint through onestop.catalog.printing (Noto
Sans CJK, running header, "第 N 页 共 M 页" footer, a contents page with
page numbers). The workbook has an overview sheet, one sheet per table and
the improvement plan; every text cell is escaped against formula injection
(onestop.transfer.workbook.escape).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from onestop.catalog.printing import render_pdf
from onestop.regions.models import Region
from onestop.reporting.tables import Cell, Table
from onestop.summaries.analysis import Analysis
from onestop.summaries.models import ImprovementItem
from onestop.transfer.workbook import escape

SHEET_NAME_MAX = 31
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]+")


@dataclasses.dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    tables: list[Table]


@dataclasses.dataclass(frozen=True)
class Content:
    """Everything one summary shows, already in the summary's language."""

    region: Region
    year: int
    provisional: bool
    start: dt.date
    end: dt.date
    title: str
    statistics: list[Table]
    analysis: Analysis
    plan: Table
    generated_on: dt.date

    @property
    def sections(self) -> list[Section]:
        corrective = [t for t in self.analysis.tables if t.key.startswith("corrective_")]
        analysis = [t for t in self.analysis.tables if not t.key.startswith("corrective_")]
        return [
            Section("statistics", _("Statistics of the year"), self.statistics),
            Section("analysis", _("Analysis of dissatisfaction"), analysis),
            Section("plan", _("Improvement plan"), [self.plan]),
            Section("corrective", _("Corrective actions"), corrective),
        ]


def plan_table(items: Sequence[ImprovementItem]) -> Table:
    return Table(
        key="plan",
        title=_("Improvement items and their progress"),
        columns=[
            _("No."),
            _("Problem found"),
            _("Improvement measure"),
            _("Responsible"),
            _("Due date"),
            _("State"),
            _("Re-check result"),
            _("Re-checked on"),
        ],
        rows=[
            [
                item.number,
                item.problem,
                item.measure,
                item.owner,
                item.due_on.isoformat(),
                str(item.get_state_display()),
                item.recheck_result,
                item.rechecked_on.isoformat() if item.rechecked_on else "",
            ]
            for item in items
        ],
    )


def _display(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _is_number(value: Cell) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def summary_pdf(content: Content) -> bytes:
    sections = [
        {
            "anchor": section.anchor,
            "number": number,
            "title": section.title,
            "tables": [
                {
                    "anchor": f"{section.anchor}-{index}",
                    "table": table,
                    "rows": [
                        [(_display(cell), _is_number(cell)) for cell in row] for row in table.rows
                    ],
                }
                for index, table in enumerate(section.tables, start=1)
            ],
        }
        for number, section in enumerate(content.sections, start=1)
    ]
    return render_pdf(
        "summaries/summary_pdf.html",
        {"content": content, "title": content.title, "sections": sections},
    )


def _cell(value: Cell) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return escape(value)


def sheet_name(title: str, taken: set[str]) -> str:
    """A unique Excel sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _SHEET_UNSAFE.sub(" ", title).strip().strip("'") or "Sheet"
    name = base[:SHEET_NAME_MAX]
    number = 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    taken.add(name.lower())
    return name


def summary_xlsx(content: Content) -> bytes:
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    overview = workbook.create_sheet(title=sheet_name(_("Overview"), taken))
    overview.append([escape(content.title)])
    overview.append([_("Region"), escape(content.region.name), content.region.code])
    overview.append([_("Year"), content.year])
    overview.append([_("Figures from"), content.start.isoformat()])
    overview.append([_("Figures up to"), content.end.isoformat()])
    overview.append(
        [_("Kind"), _("Provisional (the year is not over)") if content.provisional else _("Final")]
    )
    overview.append([_("Generated on"), content.generated_on.isoformat()])
    overview.append([_("Evaluations"), content.analysis.evaluations])
    overview.append([_("Dissatisfied or not solved"), content.analysis.dissatisfied])
    overview.append([_("Complaints"), content.analysis.complaints])
    overview.append([])
    overview.append([_("Sheets")])
    sheets: list[tuple[str, Table]] = []
    for section in content.sections:
        for table in section.tables:
            name = sheet_name(table.title, taken)
            sheets.append((name, table))
            overview.append([escape(section.title), escape(name)])
    for name, table in sheets:
        sheet = workbook.create_sheet(title=name)
        sheet.append([escape(table.title)])
        sheet.append([escape(column) for column in table.columns])
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        if table.note:
            sheet.append([])
            sheet.append([escape(table.note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
