"""Service institutions: each row becomes a verified enterprise and its active
institution, as if it had been onboarded and approved (WX 7.1.2)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import InvalidInput
from onestop.enterprises.models import Enterprise, EnterpriseStatus
from onestop.institutions.models import (
    Institution,
    InstitutionKind,
    InstitutionStatus,
    StatusChange,
)
from onestop.regions.models import Region
from onestop.search.models import DocKind
from onestop.transfer.kinds.base import Importer, Report, Row, choices_of, zh_label
from onestop.verification.services.rules import validate_uscc

NAME = "机构名称"
USCC = "统一社会信用代码"
KIND = "机构类型"
REGION = "地区代码"
ADDRESS = "地址"
PHONE = "服务电话"
LEGAL = "法定代表人"
INTRO = "简介"
ONBOARDED = "入驻日期"

AGREEMENT_VERSION = "import"
BATCH = 500


@dataclasses.dataclass
class Item:
    row: int
    name: str
    uscc: str
    kind: str
    region: Region
    address: str
    phone: str
    legal_representative: str
    description: str
    onboarded: dt.date | None


class InstitutionImporter(Importer):
    kind = DocKind.INSTITUTION
    columns = (NAME, USCC, KIND, REGION, ADDRESS, PHONE, LEGAL, INTRO, ONBOARDED)
    example = (
        "柳州市质量检验检测研究中心",
        "91450200MA5K6L7N8N",
        InstitutionKind.TESTING_LAB,
        "450200",
        "柳州市城中区示范路1号",
        "0772-2812345",
        "李明",
        "承担产品质量检验、计量检定等技术服务。",
        "2024-03-01",
    )

    @classmethod
    def example_row(cls) -> list[Any]:
        row = list(cls.example)
        row[2] = zh_label(InstitutionKind, InstitutionKind.TESTING_LAB)
        return row

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kinds = choices_of(InstitutionKind)
        self.seen: dict[str, int] = {}  # USCC → first row with it

    def check(self, rows: list[Row]) -> list[Any]:
        items: list[Item] = []
        for row in rows:
            item = self._parse(row)
            if item is not None:
                items.append(item)
        taken = set(
            Enterprise.objects.filter(uscc__in=[i.uscc for i in items]).values_list(
                "uscc", flat=True
            )
        )
        by_number = {row.number: row for row in rows}
        valid: list[Item] = []
        for item in items:
            if item.uscc in taken:
                by_number[item.row].error(
                    USCC,
                    _("An enterprise with this unified social credit code is already registered."),
                )
            else:
                valid.append(item)
        return valid

    def _parse(self, row: Row) -> Item | None:
        name = row.text(NAME, required=True, max_length=200)
        uscc = self._uscc(row)
        kind = row.choice(KIND, self.kinds)
        region = self.region(row, REGION)
        address = row.text(ADDRESS, required=True, max_length=200)
        phone = row.phone(PHONE, required=True)
        legal = row.text(LEGAL, required=True, max_length=50)
        description = row.text(INTRO)
        onboarded = row.date(ONBOARDED)
        if onboarded is not None and onboarded > self.today:
            row.error(ONBOARDED, _("The onboarding date cannot be in the future."))
        if not row.ok or region is None:
            return None
        return Item(
            row.number, name, uscc, kind, region, address, phone, legal, description, onboarded
        )

    def _uscc(self, row: Row) -> str:
        text = row.text(USCC, required=True, max_length=30)
        if not text:
            return ""
        try:
            code = validate_uscc(text)
        except InvalidInput as exc:
            row.error(USCC, exc.message)
            return ""
        first = self.seen.setdefault(code, row.number)
        if first != row.number:
            row.error(USCC, _("Row %(row)s of this file has the same code."), row=first)
            return ""
        return code

    def write(self, items: list[Any], report: Report) -> list[int]:
        reason = str(_("Imported in bulk by the service center"))
        enterprises = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=i.name,
                    uscc=i.uscc,
                    legal_representative=i.legal_representative,
                    address=i.address,
                    region=i.region,
                    industry=zh_label(InstitutionKind, i.kind)[:100],
                    status=EnterpriseStatus.VERIFIED,
                )
                for i in items
            ],
            batch_size=BATCH,
        )
        institutions = Institution.objects.bulk_create(
            [
                Institution(
                    enterprise=enterprise,
                    name=i.name,
                    kind=i.kind,
                    region=i.region,
                    description=i.description,
                    address=i.address,
                    service_phone=i.phone,
                    status=InstitutionStatus.ACTIVE,
                    agreement_version=AGREEMENT_VERSION,
                    agreement_accepted_at=self._onboarded_at(i),
                    applied_by=self.actor,
                    applied_at=self._onboarded_at(i),
                    decided_at=self.now,
                )
                for i, enterprise in zip(items, enterprises, strict=True)
            ],
            batch_size=BATCH,
        )
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    institution=institution,
                    from_status="",
                    to_status=InstitutionStatus.ACTIVE,
                    reason=reason,
                    actor=self.actor,
                )
                for institution in institutions
            ],
            batch_size=BATCH,
        )
        return [institution.pk for institution in institutions]

    def _onboarded_at(self, item: Item) -> dt.datetime:
        """The date an existing directory gives, at the start of that (China) day; else now."""
        if item.onboarded is None:
            return self.now
        return timezone.make_aware(dt.datetime.combine(item.onboarded, dt.time()))

    @classmethod
    def export_rows(cls, objects: Iterable[Any], *, private: bool) -> Iterator[list[Any]]:
        for institution in objects:
            yield [
                institution.name,
                institution.enterprise.uscc,
                zh_label(InstitutionKind, institution.kind),
                institution.region.code,
                institution.address,
                institution.service_phone,
                institution.enterprise.legal_representative,
                institution.description,
                timezone.localdate(institution.applied_at).isoformat(),
            ]
