"""The expert pool (HM 4.1.2.1): each row an expert in the pool, with the
service categories of their fields. Contact details are personal data:
imported encrypted like any other expert's, exported only to those who may
see them (Perm.EXPERT_MANAGE)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ServiceCategory
from onestop.experts.models import Availability, Expert
from onestop.regions.models import Region
from onestop.search.models import DocKind
from onestop.transfer.kinds.base import (
    Importer,
    Report,
    Row,
    choices_of,
    split_codes,
    zh_label,
)

NAME = "姓名"
TITLE = "职称"
ORGANISATION = "工作单位"
REGION = "地区代码"
FIELDS = "专业领域类别代码"
SPECIALTIES = "专长"
QUALIFICATIONS = "资质"
AVAILABILITY = "可用状态"
PHONE = "联系电话"
EMAIL = "电子邮箱"

BATCH = 500


@dataclasses.dataclass
class Item:
    row: int
    name: str
    title: str
    organisation: str
    region: Region
    categories: list[ServiceCategory]
    specialties: str
    qualifications: str
    availability: str
    phone: str
    email: str


class ExpertImporter(Importer):
    kind = DocKind.EXPERT
    columns = (
        NAME,
        TITLE,
        ORGANISATION,
        REGION,
        FIELDS,
        SPECIALTIES,
        QUALIFICATIONS,
        AVAILABILITY,
        PHONE,
        EMAIL,
    )
    private_columns = (PHONE, EMAIL)
    example = (
        "张伟",
        "正高级工程师",
        "柳州市计量技术测试研究所",
        "450200",
        "metrology-verification、metrology-consulting",
        "压力计量、流量计量",
        "一级注册计量师",
        Availability.AVAILABLE,
        "13800000000",
        "zhangwei@example.cn",
    )

    @classmethod
    def example_row(cls) -> list[Any]:
        row = list(cls.example)
        row[7] = zh_label(Availability, Availability.AVAILABLE)
        return row

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.categories = {c.code: c for c in ServiceCategory.objects.all()}
        self.availability = choices_of(Availability)

    def check(self, rows: list[Row]) -> list[Any]:
        return [item for row in rows if (item := self._parse(row)) is not None]

    def _parse(self, row: Row) -> Item | None:
        name = row.text(NAME, required=True, max_length=50)
        title = row.text(TITLE, required=True, max_length=60)
        organisation = row.text(ORGANISATION, required=True, max_length=200)
        region = self.region(row, REGION)
        categories = self._categories(row)
        specialties = row.text(SPECIALTIES, required=True, max_length=300)
        qualifications = row.text(QUALIFICATIONS)
        availability = (
            row.choice(AVAILABILITY, self.availability, required=False) or Availability.AVAILABLE
        )
        phone = row.phone(PHONE, required=False)
        email = row.email(EMAIL)
        if not row.ok or region is None:
            return None
        return Item(
            row.number,
            name,
            title,
            organisation,
            region,
            categories,
            specialties,
            qualifications,
            availability,
            phone,
            email,
        )

    def _categories(self, row: Row) -> list[ServiceCategory]:
        codes = split_codes(row.text(FIELDS, required=True, max_length=600))
        unknown = [code for code in codes if code not in self.categories]
        if unknown:
            row.error(
                FIELDS,
                _("No service category has the code %(code)s."),
                code="、".join(unknown[:5]),
            )
            return []
        return [self.categories[code] for code in dict.fromkeys(codes)]

    def write(self, items: list[Any], report: Report) -> list[int]:
        experts = Expert.objects.bulk_create(
            [
                Expert(
                    name=i.name,
                    title=i.title,
                    organisation=i.organisation,
                    region=i.region,
                    specialties=i.specialties,
                    qualifications=i.qualifications,
                    availability=i.availability,
                    contact_phone=i.phone,
                    contact_email=i.email,
                )
                for i in items
            ],
            batch_size=BATCH,
        )
        through = Expert.categories.through
        through.objects.bulk_create(
            [
                through(expert_id=expert.pk, servicecategory_id=category.pk)
                for expert, item in zip(experts, items, strict=True)
                for category in item.categories
            ],
            batch_size=BATCH,
        )
        return [expert.pk for expert in experts]

    @classmethod
    def export_rows(cls, objects: Iterable[Any], *, private: bool) -> Iterator[list[Any]]:
        for expert in objects:
            yield [
                expert.name,
                expert.title,
                expert.organisation,
                expert.region.code,
                "、".join(c.code for c in expert.categories.all()),
                expert.specialties,
                expert.qualifications,
                zh_label(Availability, expert.availability),
                expert.contact_phone if private else "",
                expert.contact_email if private else "",
            ]
