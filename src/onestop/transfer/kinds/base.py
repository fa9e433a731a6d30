"""What every list shares: reading one cell as the type it must have, the row
report, and the importer interface.

The column names are Chinese on purpose and are not translated: they are
the file format that departments fill in, and must stay the same whatever
language the workbench is shown in.
"""

from __future__ import annotations

import abc
import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.regions.models import Region
from onestop.transfer.workbook import cell_text, unescape

YES, NO = "是", "否"
_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"否", "n", "no", "false", "0", "×", "✗"}
# Invisible characters that copying from web pages leaves behind; dropped silently.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,24}$")
TEXT_MAX = 2000
# Stored row problems per job; the count goes on beyond it.
REPORT_CAP = 5000


@dataclasses.dataclass
class Problem:
    row: int
    column: str
    message: str


class Report:
    """The row problems of one file, in the language active while checking."""

    def __init__(self, cap: int | None = None) -> None:
        self.cap = REPORT_CAP if cap is None else cap
        self.count = 0
        self.items: list[Problem] = []

    def add(self, row: int, column: str, message: str | Promise) -> None:
        self.count += 1
        if len(self.items) < self.cap:
            self.items.append(Problem(row, column, str(message)))

    def as_json(self, order: Sequence[str]) -> list[dict[str, Any]]:
        rank = {name: i for i, name in enumerate(order)}
        items = sorted(self.items, key=lambda p: (p.row, rank.get(p.column, len(rank))))
        return [dataclasses.asdict(p) for p in items]


class Row:
    """One data row: typed reads of its cells, each problem added to the report."""

    def __init__(self, number: int, values: dict[str, Any], report: Report) -> None:
        self.number = number
        self.values = values
        self.report = report
        self.ok = True

    def error(self, column: str, message: str | Promise, **params: Any) -> None:
        self.ok = False
        text = str(message) % params if params else str(message)
        self.report.add(self.number, column, text)

    def raw(self, column: str) -> Any:
        value = self.values.get(column)
        if isinstance(value, str):
            value = unescape(_ZERO_WIDTH.sub("", value).replace("\r\n", "\n").strip())
            return value or None
        return value

    def text(self, column: str, *, required: bool = False, max_length: int = TEXT_MAX) -> str:
        value = self.raw(column)
        text = cell_text(value)
        if not text:
            if required:
                self.error(column, _("This cell must not be empty."))
            return ""
        if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in text):
            self.error(column, _("The text contains control or invisible characters."))
            return ""
        if len(text) > max_length:
            self.error(
                column,
                _("The text is too long: %(length)s characters, at most %(max)s."),
                length=len(text),
                max=max_length,
            )
            return ""
        return text

    def integer(self, column: str, *, required: bool, low: int, high: int) -> int | None:
        value = self.raw(column)
        if value is None:
            if required:
                self.error(column, _("This cell must not be empty."))
            return None
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
            number = int(value.strip())
        if number is None:
            self.error(column, _("Enter a whole number."))
            return None
        if not low <= number <= high:
            self.error(column, _("Enter a number from %(low)s to %(high)s."), low=low, high=high)
            return None
        return number

    def money(self, column: str, *, high: Decimal = Decimal("99999999.99")) -> Decimal | None:
        """An optional amount in yuan with at most two decimals."""
        value = self.raw(column)
        if value is None:
            return None
        amount: Decimal | None = None
        if isinstance(value, bool):
            amount = None
        elif isinstance(value, int | float):
            amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        elif isinstance(value, str):
            try:
                amount = Decimal(value.replace(",", "").replace("，", "").strip())
            except InvalidOperation:
                amount = None
        if amount is None or not amount.is_finite():
            self.error(column, _("Enter an amount in yuan, such as 300 or 1250.50."))
            return None
        if amount < 0 or amount > high:
            self.error(column, _("Enter an amount from 0 to %(high)s yuan."), high=high)
            return None
        if amount != amount.quantize(Decimal("0.01")):
            self.error(column, _("An amount has at most two decimal places."))
            return None
        return amount.quantize(Decimal("0.01"))

    def yes_no(self, column: str, *, default: bool) -> bool:
        value = self.raw(column)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text in _YES:
            return True
        if text in _NO:
            return False
        self.error(column, _("Enter 是 or 否."))
        return default

    def date(self, column: str) -> dt.date | None:
        """An optional date: a date cell, or text such as 2024-03-01 / 2024/3/1 / 2024年3月1日."""
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = cell_text(value)
        match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                pass
        self.error(column, _("Enter a date such as 2024-03-01."))
        return None

    def phone(self, column: str, *, required: bool) -> str:
        text = self.text(column, required=required, max_length=40)
        if text and not PHONE.match(text):
            self.error(column, _("Enter a phone number of digits, spaces and hyphens."))
            return ""
        return text

    def email(self, column: str) -> str:
        text = self.text(column, max_length=254)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                self.error(column, _("Enter a valid e-mail address."))
                return ""
        return text

    def choice(self, column: str, choices: Choices, *, required: bool = True) -> str:
        text = cell_text(self.raw(column))
        if not text:
            if required:
                self.error(column, _("This cell must not be empty."))
            return ""
        value = choices.lookup.get(text.casefold())
        if value is None:
            self.error(
                column,
                _("Unknown value “%(value)s”. Use one of: %(labels)s."),
                value=text[:40],
                labels=choices.hint,
            )
            return ""
        return value


@dataclasses.dataclass(frozen=True)
class Choices:
    lookup: dict[str, str]  # casefolded code or label → code
    hint: str  # the Chinese labels, for error messages


def choices_of(enum: type[TextChoices]) -> Choices:
    """Accept the code, the English label or the Chinese label of each choice."""
    lookup: dict[str, str] = {}
    for value, label in zip(enum.values, enum.labels, strict=True):
        lookup[str(value).casefold()] = str(value)
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[str(label).strip().casefold()] = str(value)
    return Choices(lookup, "、".join(zh_label(enum, value) for value in enum.values))


def zh_label(choices: type[TextChoices], value: str) -> str:
    """The label written to exported files (Chinese, whatever the UI language)."""
    with translation.override("zh-hans"):
        return str(choices(value).label)


class Importer(abc.ABC):
    """One list's columns, row checks, writing and export format.

    ``check`` is called on chunks of rows (so lookups are one query per
    chunk); it returns a parsed item per valid row. ``write`` runs inside the
    import transaction and returns the ids created.
    """

    kind: ClassVar[str]
    columns: ClassVar[tuple[str, ...]]
    example: ClassVar[tuple[Any, ...]]
    # The columns holding personal contact details (exported to Perm.EXPERT_MANAGE only).
    private_columns: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, actor: User) -> None:
        self.actor = actor
        self.scope = authz.region_scope(actor, authz.Perm.DIRECTORY_IMPORT)
        self.regions = {r.code: r for r in Region.objects.all()}
        self.now = timezone.now()
        self.today = timezone.localdate()

    @classmethod
    def example_row(cls) -> list[Any]:
        """The example row of the downloadable template."""
        return list(cls.example)

    def region(self, row: Row, column: str) -> Region | None:
        code = row.text(column, required=True, max_length=20)
        if not code:
            return None
        region = self.regions.get(code)
        if region is None:
            row.error(column, _("Unknown region code %(code)s."), code=code)
            return None
        if not self.scope.covers(region):
            row.error(
                column,
                _("%(name)s (%(code)s) is outside the regions you are responsible for."),
                name=region.name,
                code=code,
            )
            return None
        return region

    @abc.abstractmethod
    def check(self, rows: list[Row]) -> list[Any]:
        """Validate every row (problems go on the rows); the items to write."""

    @abc.abstractmethod
    def write(self, items: list[Any], report: Report) -> list[int]:
        """Create the checked items (in the caller's transaction); their ids."""

    @classmethod
    @abc.abstractmethod
    def export_rows(cls, objects: Iterable[Any], *, private: bool) -> Iterator[list[Any]]:
        """The export's rows, in the import's column order."""


def split_codes(text: str) -> list[str]:
    """ "a、b, c;d" → ["a", "b", "c", "d"] (Chinese and Latin separators)."""
    return [part for part in re.split(r"[、,，;；\s]+", text) if part]
