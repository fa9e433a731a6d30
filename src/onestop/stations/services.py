"""Writes to stations and their opening hours. Each one is atomic, checks
Perm.STATION_MANAGE over the station's region and leaves an audit row."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.regions.models import Profile, Region
from onestop.regions.selectors import region_profiles
from onestop.search.index import refresh_later
from onestop.search.models import DocKind
from onestop.stations.models import (
    ALLOWED_PARENTS,
    HoursKind,
    OpeningHours,
    Station,
    StationKind,
    StationStatus,
    Tier,
)
from onestop.stations.naming import clean_station_name

_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{4,24}$")


class FieldError(InvalidInput):
    """Invalid input about one field; ``field`` is set per instance."""

    def __init__(self, field: str, message: Any, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


@dataclasses.dataclass(frozen=True)
class StationDetails:
    """What staff may change about a station (tier and region are fixed at creation)."""

    name: str
    kind: str
    address: str
    person_in_charge: str
    parent: Station | None = None
    phone: str = ""
    complaint_phone: str = ""
    organisation: str = ""
    duties_and_rules: str = ""
    services: str = ""
    methods: str = ""
    flow: str = ""
    self_service_kiosk: bool = False


@dataclasses.dataclass(frozen=True)
class HoursBlock:
    weekday: int
    opens: dt.time
    closes: dt.time
    kind: str = HoursKind.REGULAR
    note: str = ""


_TEXT_FIELDS = (
    "name",
    "address",
    "person_in_charge",
    "phone",
    "complaint_phone",
    "organisation",
    "duties_and_rules",
    "services",
    "methods",
    "flow",
)
# LZ 6.1.5 and HM 4.1.1.2: every station shows what it offers and how.
_ALWAYS_DISCLOSED = ("services", "flow")
# WX 4.2.4: the full disclosure, complaint phone included.
_WX_DISCLOSED = ("organisation", "duties_and_rules", "methods", "complaint_phone")


def _profile(region: Region) -> str:
    return region_profiles([region])[region.code]


def _cleaned(details: StationDetails, *, region: Region, tier: str) -> StationDetails:
    """Trimmed details, or the first rule they break as a FieldError."""
    values: dict[str, Any] = {f: (getattr(details, f) or "").strip() for f in _TEXT_FIELDS}
    profile = _profile(region)
    values["name"] = clean_station_name(values["name"], profile=profile)
    if details.kind not in StationKind.values:
        raise FieldError("kind", _("Choose a kind of station."))
    if not values["address"]:
        raise FieldError("address", _("Enter the station's address."))
    if not values["person_in_charge"]:
        raise FieldError(
            "person_in_charge",
            _("Every center, station and service point has a person in charge (HM 4.1.2.2)."),
        )
    for field in ("phone", "complaint_phone"):
        if values[field] and not _PHONE.match(values[field]):
            raise FieldError(field, _("Enter a phone number of digits, spaces and hyphens."))
    required = _ALWAYS_DISCLOSED + (_WX_DISCLOSED if profile == Profile.WX else ())
    for field in required:
        if not values[field]:
            raise FieldError(
                field,
                _("The public disclosure needs this item (WX 4.2.4, LZ 6.1.5)."),
            )
    _check_parent(tier=tier, parent=details.parent, region=region, profile=profile)
    return dataclasses.replace(details, **values)


def _check_parent(*, tier: str, parent: Station | None, region: Region, profile: str) -> None:
    """The HM 4.1.1.1 hierarchy: center → station → service point."""
    allowed = ALLOWED_PARENTS[tier]
    if parent is None:
        if tier == Tier.POINT:
            raise FieldError("parent", _("A service point belongs to a station or a center."))
        if tier == Tier.STATION and profile == Profile.HM:
            raise FieldError(
                "parent", _("Here a service station belongs to a service center (HM 4.1.1.1).")
            )
        return
    if not allowed:
        raise FieldError("parent", _("A service center is the top of the hierarchy."))
    if parent.tier not in allowed:
        raise FieldError(
            "parent",
            _("A %(tier)s cannot belong to a %(parent)s."),
            tier=Tier(tier).label,
            parent=Tier(parent.tier).label,
        )
    if parent.status != StationStatus.ACTIVE:
        raise FieldError("parent", _("The chosen parent is closed."))
    if not region.path.startswith(parent.region.path):
        raise FieldError(
            "parent", _("The parent must serve the station's region or a region above it.")
        )


def _check_unique_name(*, region: Region, name: str, exclude: int | None = None) -> None:
    clash = Station.objects.filter(region=region, name=name, status=StationStatus.ACTIVE)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise FieldError("name", _("An active station in this region already has this name."))


def _values(details: StationDetails) -> dict[str, Any]:
    # Not dataclasses.asdict(): it would deep-copy the parent Station.
    return {f.name: getattr(details, f.name) for f in dataclasses.fields(details)}


def _snapshot(station: Station) -> dict[str, Any]:
    data: dict[str, Any] = {f: getattr(station, f) for f in _TEXT_FIELDS}
    data.update(
        kind=station.kind,
        parent=station.parent_id,
        self_service_kiosk=station.self_service_kiosk,
    )
    return data


def _reindex(station: Station) -> None:
    """The station's search document, and the offerings that name it as a place."""
    refresh_later(DocKind.STATION, [station.pk])
    refresh_later(DocKind.OFFERING, list(station.offerings.values_list("pk", flat=True)))


@transaction.atomic
def station_create(*, actor: User, region: Region, tier: str, details: StationDetails) -> Station:
    """Open a center, station or service point (HM 4.1.1.1, WX 4.2, WX 5.2)."""
    authz.require(actor, authz.Perm.STATION_MANAGE, region)
    if tier not in Tier.values:
        raise FieldError("tier", _("Choose center, station or service point."))
    details = _cleaned(details, region=region, tier=tier)
    _check_unique_name(region=region, name=details.name)
    station = Station(region=region, tier=tier, **_values(details))
    station.save()
    audit_record(
        actor=actor,
        action="stations.station_create",
        obj=station,
        changes={"tier": tier, "region": region.code, **_snapshot(station)},
    )
    _reindex(station)
    return station


@transaction.atomic
def station_update(*, actor: User, station: Station, details: StationDetails) -> Station:
    """Change a station's name, kind, parent, contacts and disclosure texts."""
    authz.require(actor, authz.Perm.STATION_MANAGE, station.region)
    locked = Station.objects.select_for_update(no_key=True).get(pk=station.pk)
    if locked.status != StationStatus.ACTIVE:
        raise InvalidTransition(_("A closed station cannot be changed."))
    details = _cleaned(details, region=station.region, tier=locked.tier)
    if details.parent is not None and details.parent.pk == locked.pk:
        raise FieldError("parent", _("A station cannot belong to itself."))
    _check_unique_name(region=station.region, name=details.name, exclude=locked.pk)
    before = _snapshot(locked)
    for name, value in _values(details).items():
        setattr(locked, name, value)
    locked.save()
    after = _snapshot(locked)
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    audit_record(actor=actor, action="stations.station_update", obj=locked, changes=changed)
    _reindex(locked)
    return locked


@transaction.atomic
def station_close(*, actor: User, station: Station, note: str = "") -> Station:
    """Close a station; its service points must be closed or moved first."""
    authz.require(actor, authz.Perm.STATION_MANAGE, station.region)
    locked = Station.objects.select_for_update(no_key=True).get(pk=station.pk)
    if locked.status != StationStatus.ACTIVE:
        raise InvalidTransition(_("This station is already closed."))
    if Station.objects.filter(parent=locked, status=StationStatus.ACTIVE).exists():
        raise InvalidTransition(_("Close or move the stations and service points under it first."))
    locked.status = StationStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="stations.station_close",
        obj=locked,
        changes={"status": [StationStatus.ACTIVE, StationStatus.CLOSED], "note": note[:200]},
    )
    _reindex(locked)
    return locked


def _describe(block: OpeningHours | HoursBlock) -> str:
    text = f"{block.weekday} {block.opens:%H:%M}-{block.closes:%H:%M} {block.kind}"
    return f"{text} {block.note}".strip()


@transaction.atomic
def opening_hours_set(
    *, actor: User, station: Station, hours: Sequence[HoursBlock]
) -> list[OpeningHours]:
    """Replace the station's weekly hours. Extended and staggered blocks
    (WX 5.3 d) are rows like any other, marked by their kind and note."""
    authz.require(actor, authz.Perm.STATION_MANAGE, station.region)
    locked = Station.objects.select_for_update(no_key=True).get(pk=station.pk)
    if locked.status != StationStatus.ACTIVE:
        raise InvalidTransition(_("A closed station cannot be changed."))
    blocks = sorted(hours, key=lambda b: (b.weekday, b.opens))
    for block in blocks:
        if not 0 <= block.weekday <= 6:
            raise InvalidInput(_("A weekday is 0 (Monday) to 6 (Sunday)."))
        if block.opens >= block.closes:
            raise InvalidInput(_("Each opening block must close after it opens."))
        if block.kind not in HoursKind.values:
            raise InvalidInput(_("Choose regular, extended or staggered hours."))
        if len(block.note) > 80:
            raise InvalidInput(_("A note has at most 80 characters."))
    for earlier, later in itertools.pairwise(blocks):
        if earlier.weekday == later.weekday and later.opens < earlier.closes:
            raise InvalidInput(_("Opening blocks on the same day must not overlap."))
    before = [_describe(b) for b in locked.opening_hours.all()]
    locked.opening_hours.all().delete()
    rows = OpeningHours.objects.bulk_create(
        OpeningHours(
            station=locked,
            weekday=b.weekday,
            opens=b.opens,
            closes=b.closes,
            kind=b.kind,
            note=b.note.strip(),
        )
        for b in blocks
    )
    audit_record(
        actor=actor,
        action="stations.opening_hours_set",
        obj=locked,
        changes={"hours": [before, [_describe(b) for b in blocks]]},
    )
    return rows
