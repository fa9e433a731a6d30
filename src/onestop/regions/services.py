"""Writes to the region tree."""

from __future__ import annotations

import json
from importlib import resources

from django.core.exceptions import ValidationError
from django.db import transaction

from onestop.core.errors import InvalidInput
from onestop.regions.models import Region, RegionLevel, validate_region_code

_CHILD_LEVEL = {
    None: {RegionLevel.PROVINCE},
    RegionLevel.PROVINCE: {RegionLevel.CITY},
    RegionLevel.CITY: {RegionLevel.DISTRICT, RegionLevel.PARK},
    RegionLevel.DISTRICT: {RegionLevel.PARK},
    RegionLevel.PARK: set(),
}


@transaction.atomic
def region_upsert(
    *, code: str, name: str, level: str, parent: Region | None, profile: str = ""
) -> Region:
    """Create or update one region, checking its code against GB/T 2260 shape."""
    try:
        validate_region_code(code, level)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages)) from exc
    parent_level = RegionLevel(parent.level) if parent else None
    if RegionLevel(level) not in _CHILD_LEVEL[parent_level]:
        raise InvalidInput(f"{name}: level {level} cannot sit under {parent_level}")
    if parent and not code.startswith(parent.code[: 2 if parent_level == "province" else 4]):
        raise InvalidInput(f"{code} does not belong under {parent.code}")
    path = f"{parent.path if parent else ''}{code}/"
    region, _created = Region.objects.update_or_create(
        code=code,
        defaults={"name": name, "level": level, "parent": parent, "path": path, "profile": profile},
    )
    return region


def regions_load_bundled() -> int:
    """Load the bundled region tree (data/regions.json); idempotent."""
    data = json.loads(resources.files("onestop.regions").joinpath("data/regions.json").read_text())
    count = 0

    def walk(nodes: list[dict[str, object]], parent: Region | None) -> None:
        nonlocal count
        for node in nodes:
            region = region_upsert(
                code=str(node["code"]),
                name=str(node["name"]),
                level=str(node["level"]),
                parent=parent,
                profile=str(node.get("profile", "")),
            )
            count += 1
            walk(list(node.get("children", [])), region)  # type: ignore[call-overload]

    with transaction.atomic():
        walk(data, None)
    return count
