"""What institutions offer: each row a published offering of an active
institution already on the platform, found by its credit code."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ServiceCategory
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    Qualification,
    QualificationKind,
)
from onestop.search.models import DocKind
from onestop.transfer.kinds.base import (
    NO,
    YES,
    Importer,
    Report,
    Row,
    choices_of,
    zh_label,
)

USCC = "机构统一社会信用代码"
NAME = "服务名称"
CATEGORY = "类别代码"
SCOPE = "服务范围"
QUALIFICATION_KIND = "资质类型"
QUALIFICATION_NUMBER = "资质证书编号"
PRICE_MIN = "最低价"
PRICE_MAX = "最高价"
TURNAROUND = "办理时限（工作日）"
ONLINE = "线上办理"
AT_LAB = "到机构办理"

BATCH = 500


@dataclasses.dataclass
class Item:
    row: int
    uscc: str
    name: str
    category: ServiceCategory
    scope: str
    qualification_kind: str
    qualification_number: str
    price_min: Decimal | None
    price_max: Decimal | None
    turnaround: int
    online: bool
    at_lab: bool
    institution: Institution | None = None
    qualification: Qualification | None = None


class OfferingImporter(Importer):
    kind = DocKind.OFFERING
    columns = (
        USCC,
        NAME,
        CATEGORY,
        SCOPE,
        QUALIFICATION_KIND,
        QUALIFICATION_NUMBER,
        PRICE_MIN,
        PRICE_MAX,
        TURNAROUND,
        ONLINE,
        AT_LAB,
    )
    example = (
        "91450200MA5K6L7N8N",
        "压力表检定",
        "metrology-verification",
        "一般压力表（0~60 MPa），依据 JJG 52",
        "CMA",
        "240012345678",
        80,
        200,
        5,
        NO,
        YES,
    )

    @classmethod
    def example_row(cls) -> list[Any]:
        row = list(cls.example)
        row[4] = zh_label(QualificationKind, QualificationKind.CMA)
        return row

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.categories = {c.code: c for c in ServiceCategory.objects.all()}
        self.qualification_kinds = choices_of(QualificationKind)

    def check(self, rows: list[Row]) -> list[Any]:
        by_number = {row.number: row for row in rows}
        items = [item for row in rows if (item := self._parse(row)) is not None]
        institutions = {
            i.enterprise.uscc: i
            for i in Institution.objects.select_related("enterprise", "region").filter(
                enterprise__uscc__in={item.uscc for item in items}
            )
        }
        certificates: dict[tuple[int, str], list[Qualification]] = {}
        numbers = {item.qualification_number for item in items if item.qualification_number}
        if numbers:
            for qualification in Qualification.objects.filter(
                institution__in=list(institutions.values()), number__in=numbers
            ):
                key = (qualification.institution_id, qualification.number)
                certificates.setdefault(key, []).append(qualification)
        valid: list[Item] = []
        for item in items:
            row = by_number[item.row]
            item.institution = self._institution(row, institutions.get(item.uscc))
            if item.institution is not None and item.qualification_number:
                found = certificates.get((item.institution.pk, item.qualification_number), [])
                item.qualification = self._qualification(row, item, found)
            if row.ok:
                valid.append(item)
        return valid

    def _parse(self, row: Row) -> Item | None:
        uscc = row.text(USCC, required=True, max_length=30).upper().replace(" ", "")
        name = row.text(NAME, required=True, max_length=120)
        code = row.text(CATEGORY, required=True, max_length=60)
        category = self.categories.get(code) if code else None
        if code and category is None:
            row.error(CATEGORY, _("No service category has the code %(code)s."), code=code)
        scope = row.text(SCOPE, required=True)
        kind = row.choice(QUALIFICATION_KIND, self.qualification_kinds, required=False)
        number = row.text(QUALIFICATION_NUMBER, max_length=60)
        if kind and not number:
            row.error(
                QUALIFICATION_NUMBER,
                _("Give the certificate number with the qualification type, or leave both empty."),
            )
        low = row.money(PRICE_MIN)
        high = row.money(PRICE_MAX)
        if low is not None and high is not None and low > high:
            row.error(PRICE_MAX, _("The highest price is below the lowest price."))
        turnaround = row.integer(TURNAROUND, required=True, low=0, high=365)
        online = row.yes_no(ONLINE, default=False)
        at_lab = row.yes_no(AT_LAB, default=True)
        if not row.ok or category is None or turnaround is None:
            return None
        return Item(
            row.number,
            uscc,
            name,
            category,
            scope,
            kind,
            number,
            low,
            high,
            turnaround,
            online,
            at_lab,
        )

    def _institution(self, row: Row, institution: Institution | None) -> Institution | None:
        if institution is None:
            row.error(USCC, _("No institution on the platform has this credit code."))
            return None
        if institution.status != InstitutionStatus.ACTIVE:
            row.error(USCC, _("%(name)s is not an active institution."), name=institution.name)
            return None
        if not self.scope.covers(institution.region):
            row.error(
                USCC,
                _("%(name)s is outside the regions you are responsible for."),
                name=institution.name,
            )
            return None
        return institution

    def _qualification(
        self, row: Row, item: Item, found: list[Qualification]
    ) -> Qualification | None:
        if item.qualification_kind:
            found = [q for q in found if q.kind == item.qualification_kind]
        if not found:
            row.error(
                QUALIFICATION_NUMBER,
                _("The institution has no certificate with this number (and type)."),
            )
            return None
        if len(found) > 1:
            row.error(
                QUALIFICATION_KIND,
                _("Several certificates have this number; give the qualification type."),
            )
            return None
        qualification = found[0]
        if not qualification.is_valid_on(self.today):
            row.error(
                QUALIFICATION_NUMBER,
                _("The certificate is not valid today (valid from %(start)s to %(end)s)."),
                start=qualification.valid_from.isoformat(),
                end=qualification.valid_to.isoformat(),
            )
            return None
        return qualification

    def write(self, items: list[Any], report: Report) -> list[int]:
        offerings = Offering.objects.bulk_create(
            [
                Offering(
                    institution=i.institution,
                    category=i.category,
                    name=i.name,
                    scope=i.scope,
                    qualification=i.qualification,
                    price_min=i.price_min,
                    price_max=i.price_max,
                    turnaround_working_days=i.turnaround,
                    online=i.online,
                    at_lab=i.at_lab,
                )
                for i in items
            ],
            batch_size=BATCH,
        )
        return [offering.pk for offering in offerings]

    @classmethod
    def export_rows(cls, objects: Iterable[Any], *, private: bool) -> Iterator[list[Any]]:
        for offering in objects:
            qualification = offering.qualification
            yield [
                offering.institution.enterprise.uscc,
                offering.name,
                offering.category.code,
                offering.scope,
                zh_label(QualificationKind, qualification.kind) if qualification else "",
                qualification.number if qualification else "",
                offering.price_min,
                offering.price_max,
                offering.turnaround_working_days,
                YES if offering.online else NO,
                YES if offering.at_lab else NO,
            ]
