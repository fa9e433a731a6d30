"""Offline stations (HM 4.1.1.1, WX 5.2, LZ 6.3.1). Rows are created through
onestop.stations.services.station_create, so the hierarchy, naming and
disclosure rules are the station module's own; the checks here are the
ones that can be made before writing (codes, scope, parents, duplicates)
so most mistakes are reported together in the first pass.

A parent is named, not numbered: an active station of that name serving
the row's region or a region above it, already on the platform or in an
earlier row of the same file (exports list centers, then stations, then
service points, so they re-import in order).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.core.errors import DomainError, InvalidInput, PermissionDeniedError
from onestop.regions.models import Region
from onestop.regions.selectors import region_profiles
from onestop.search.models import DocKind
from onestop.stations.models import Station, StationKind, StationStatus, Tier
from onestop.stations.naming import clean_station_name
from onestop.stations.services import StationDetails, station_create
from onestop.transfer.kinds.base import (
    NO,
    YES,
    Importer,
    Report,
    Row,
    choices_of,
    zh_label,
)

NAME = "名称"
TIER = "层级"
KIND = "类型"
REGION = "地区代码"
PARENT = "上级站点名称"
ADDRESS = "地址"
PHONE = "电话"
COMPLAINT_PHONE = "投诉电话"
PERSON = "负责人"
ORGANISATION = "机构设置"
DUTIES = "岗位职责和制度"
SERVICES = "服务内容"
METHODS = "服务方式"
FLOW = "服务流程"
KIOSK = "自助服务终端"

# StationDetails / station_create field → column, to place the service's errors.
FIELD_COLUMNS = {
    "name": NAME,
    "tier": TIER,
    "kind": KIND,
    "parent": PARENT,
    "address": ADDRESS,
    "phone": PHONE,
    "complaint_phone": COMPLAINT_PHONE,
    "person_in_charge": PERSON,
    "organisation": ORGANISATION,
    "duties_and_rules": DUTIES,
    "services": SERVICES,
    "methods": METHODS,
    "flow": FLOW,
}


@dataclasses.dataclass
class Item:
    row: int
    region: Region
    tier: str
    details: StationDetails
    parent_name: str
    parent_station: Station | None = None
    parent_row: int | None = None


class StationImporter(Importer):
    kind = DocKind.STATION
    columns = (
        NAME,
        TIER,
        KIND,
        REGION,
        PARENT,
        ADDRESS,
        PHONE,
        COMPLAINT_PHONE,
        PERSON,
        ORGANISATION,
        DUTIES,
        SERVICES,
        METHODS,
        FLOW,
        KIOSK,
    )
    example = (
        "柳州市柳北区质量服务“一站式”平台",
        Tier.STATION,
        StationKind.REGULATOR_OR_PARK,
        "450205",
        "",
        "柳州市柳北区示范路1号",
        "0772-2812345",
        "0772-12315",
        "王海军",
        "区市场监督管理局设站，质量发展股牵头",
        "岗位职责；服务投诉及反馈处理制度",
        "检验检测需求登记、计量器具送检",
        "窗口受理、全程代办",
        "登记→匹配→服务→回访",
        NO,
    )

    @classmethod
    def example_row(cls) -> list[Any]:
        row = list(cls.example)
        row[1] = zh_label(Tier, Tier.STATION)
        row[2] = zh_label(StationKind, StationKind.REGULATOR_OR_PARK)
        return row

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tiers = choices_of(Tier)
        self.kinds = choices_of(StationKind)
        self.profiles = region_profiles(list(self.regions.values()))
        self.manageable = authz.region_scope(self.actor, authz.Perm.STATION_MANAGE)
        self.in_file: dict[str, list[tuple[int, str]]] = {}  # name → [(row, region path)]
        self.names: dict[tuple[str, str], int] = {}  # (region code, name) → row

    def check(self, rows: list[Row]) -> list[Any]:
        by_number = {row.number: row for row in rows}
        items = [item for row in rows if (item := self._parse(row)) is not None]
        wanted = {i.details.name for i in items} | {i.parent_name for i in items if i.parent_name}
        on_platform: dict[str, list[Station]] = {}
        for station in Station.objects.filter(
            status=StationStatus.ACTIVE, name__in=wanted
        ).select_related("region"):
            on_platform.setdefault(station.name, []).append(station)
        valid: list[Item] = []
        for item in items:
            row = by_number[item.row]
            self._check_unique(row, item, on_platform)
            if item.parent_name:
                self._resolve_parent(row, item, on_platform)
            self.in_file.setdefault(item.details.name, []).append((item.row, item.region.path))
            if row.ok:
                valid.append(item)
        return valid

    def _parse(self, row: Row) -> Item | None:
        name = row.text(NAME, required=True, max_length=80)
        tier = row.choice(TIER, self.tiers)
        kind = row.choice(KIND, self.kinds)
        region = self.region(row, REGION)
        if region is not None and not self.manageable.covers(region):
            row.error(REGION, _("You may not manage stations in %(name)s."), name=region.name)
            region = None
        if name and region is not None:
            try:
                name = clean_station_name(name, profile=self.profiles.get(region.code, ""))
            except InvalidInput as exc:
                row.error(NAME, exc.message)
        parent_name = row.text(PARENT, max_length=80)
        details = dict(
            address=row.text(ADDRESS, required=True, max_length=200),
            phone=row.phone(PHONE, required=False),
            complaint_phone=row.phone(COMPLAINT_PHONE, required=False),
            person_in_charge=row.text(PERSON, required=True, max_length=40),
            organisation=row.text(ORGANISATION),
            duties_and_rules=row.text(DUTIES),
            services=row.text(SERVICES),
            methods=row.text(METHODS),
            flow=row.text(FLOW),
            self_service_kiosk=row.yes_no(KIOSK, default=False),
        )
        if tier == Tier.CENTER and parent_name:
            row.error(PARENT, _("A service center is the top of the hierarchy."))
        if not row.ok or region is None:
            return None
        return Item(
            row.number,
            region,
            tier,
            StationDetails(name=name, kind=kind, **details),  # type: ignore[arg-type]
            parent_name,
        )

    def _check_unique(self, row: Row, item: Item, on_platform: dict[str, list[Station]]) -> None:
        name, region = item.details.name, item.region
        if any(s.region_id == region.pk for s in on_platform.get(name, [])):
            row.error(NAME, _("An active station in this region already has this name."))
            return
        first = self.names.setdefault((region.code, name), item.row)
        if first != item.row:
            row.error(NAME, _("Row %(row)s of this file has the same name and region."), row=first)

    def _resolve_parent(self, row: Row, item: Item, on_platform: dict[str, list[Station]]) -> None:
        path = item.region.path
        stations = [
            s for s in on_platform.get(item.parent_name, []) if path.startswith(s.region.path)
        ]
        earlier = [n for n, p in self.in_file.get(item.parent_name, []) if path.startswith(p)]
        if len(stations) + len(earlier) == 0:
            row.error(
                PARENT,
                _(
                    "No active station of this name serves this region. A parent listed in "
                    "this file must come in an earlier row."
                ),
            )
        elif len(stations) + len(earlier) > 1:
            row.error(PARENT, _("Several stations have this name; rename one of them first."))
        elif stations:
            item.parent_station = stations[0]
        else:
            item.parent_row = earlier[0]

    def write(self, items: list[Any], report: Report) -> list[int]:
        created: dict[int, Station] = {}
        for item in items:
            parent = item.parent_station
            if item.parent_row is not None:
                parent = created.get(item.parent_row)
                if parent is None:
                    report.add(
                        item.row,
                        PARENT,
                        _("The parent in row %(row)s could not be imported.")
                        % {"row": item.parent_row},
                    )
                    continue
            try:
                station = station_create(
                    actor=self.actor,
                    region=item.region,
                    tier=item.tier,
                    details=dataclasses.replace(item.details, parent=parent),
                )
            except DomainError as exc:
                default = REGION if isinstance(exc, PermissionDeniedError) else NAME
                report.add(item.row, FIELD_COLUMNS.get(exc.field or "", default), exc.message)
                continue
            created[item.row] = station
        return [station.pk for station in created.values()]

    @classmethod
    def export_rows(cls, objects: Iterable[Any], *, private: bool) -> Iterator[list[Any]]:
        for station in objects:
            yield [
                station.name,
                zh_label(Tier, station.tier),
                zh_label(StationKind, station.kind),
                station.region.code,
                station.parent.name if station.parent else "",
                station.address,
                station.phone,
                station.complaint_phone,
                station.person_in_charge,
                station.organisation,
                station.duties_and_rules,
                station.services,
                station.methods,
                station.flow,
                YES if station.self_service_kiosk else NO,
            ]
