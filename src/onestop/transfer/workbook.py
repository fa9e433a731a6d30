"""Reading and writing .xlsx files without holding a sheet in memory.

Reading uses openpyxl's read-only mode (rows are parsed from the zip as they
are iterated) with the sheet's declared dimensions ignored, so a file that
lies about its size is read for what it holds. Writing uses write-only mode.
Every text cell written is escaped against formula injection (OWASP "CSV
injection"): a value starting with = + - @ (or a tab / carriage return) gets
a leading apostrophe, which import strips again so an export re-imports
unchanged.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from onestop.core.errors import InvalidInput

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A 10 MB zip may expand to gigabytes of XML (a "zip bomb"); real sheets of
# 20,000 rows stay far below this.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class FileRejected(InvalidInput):
    code = "file_rejected"
    field = "file"


class TooManyRows(FileRejected):
    code = "too_many_rows"


def escape(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet program."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def unescape(text: str) -> str:
    """Undo ``escape`` (only where escape would have added the apostrophe)."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def check_upload(upload: IO[bytes], size: int) -> None:
    """Cheap checks before a job is queued: size, a zip, an Excel workbook inside."""
    if size > MAX_BYTES:
        raise FileRejected(
            _("The file is larger than %(mb)s MB; split it into several files."),
            mb=MAX_BYTES // (1024 * 1024),
        )
    if size == 0:
        raise FileRejected(_("The file is empty."))
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(_not_xlsx()) from exc
    finally:
        upload.seek(0)
    if "xl/workbook.xml" not in names:
        raise FileRejected(_not_xlsx())
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected(_("The workbook expands to too much data to be read safely."))


def _not_xlsx() -> Any:
    return _(
        "The file is not an Excel workbook (.xlsx) or it is damaged. "
        "Save it from Excel or WPS as .xlsx and upload it again."
    )


@contextlib.contextmanager
def open_sheet(source: IO[bytes]) -> Iterator[Any]:
    """The first worksheet of a workbook, read lazily; FileRejected if unreadable."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileRejected(_not_xlsx()) from exc
    except Exception as exc:  # openpyxl raises assorted errors on broken XML
        raise FileRejected(_not_xlsx()) from exc
    try:
        if not workbook.worksheets:
            raise FileRejected(_not_xlsx())
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # never trust the declared size
        yield sheet
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A header cell or a text cell as the person typed it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def header(sheet: Any) -> list[str]:
    for row in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
        names = [cell_text(value) for value in row]
        while names and not names[-1]:
            names.pop()
        return names
    return []


def _blank(row: Sequence[Any]) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def data_rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number as Excel shows it, values) for each non-empty row below the header."""
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not _blank(row):
            yield number, row


def count_rows(sheet: Any, limit: int = MAX_ROWS) -> int:
    """Non-empty data rows, stopping as soon as ``limit`` is passed."""
    count = 0
    for _number, _row in data_rows(sheet):
        count += 1
        if count > limit:
            raise TooManyRows(
                _(
                    "The file has more than %(limit)s data rows. "
                    "Split it into files of at most %(limit)s rows."
                ),
                limit=f"{limit:,}",
            )
    return count


def write(
    out: IO[bytes], *, title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write a one-sheet workbook (header + rows) to ``out``; the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    count = 0
    for row in rows:
        sheet.append([escape(_cell(value)) for value in row])
        count += 1
    workbook.save(out)
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        # openpyxl writes Decimal as a number; keep integers as integers.
        return int(value) if value == value.to_integral_value() else value
    return value
