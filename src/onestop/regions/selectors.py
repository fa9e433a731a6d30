"""Reads of the region tree (public data: no visibility rules)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import NotFound
from onestop.regions.models import Region, RegionLevel


class UnknownRegion(NotFound):
    code = "unknown_region"
    default_message = _("No region has the code %(code)s.")


def region_get(*, code: str) -> Region:
    code = (code or "").strip()
    region = Region.objects.select_related("parent").filter(code=code).first()
    if region is None:
        raise UnknownRegion(code=code[:20] or "—")
    return region


def region_find(*, code: str) -> Region | None:
    """The region with this code, or None (for defaults that may be unset)."""
    return Region.objects.filter(code=code).first()


def region_list(*, parent_code: str | None = None) -> QuerySet[Region]:
    regions = Region.objects.all()
    if parent_code:
        regions = regions.filter(parent=region_get(code=parent_code))
    return regions.order_by("path")


def region_choices() -> QuerySet[Region]:
    """Cities and below, for the public region switcher."""
    return Region.objects.exclude(level=RegionLevel.PROVINCE).order_by("path")


def region_ancestors(region: Region) -> list[Region]:
    codes = [code for code in region.path.split("/") if code]
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes if code in by_code]


def region_profiles(regions: list[Region]) -> dict[str, str]:
    """Each region's effective profile (its own, else the nearest ancestor's), in one query."""
    codes = {code for region in regions for code in region.path.split("/") if code}
    own = dict(Region.objects.filter(code__in=codes).values_list("code", "profile"))
    result: dict[str, str] = {}
    for region in regions:
        chain = [code for code in region.path.split("/") if code]
        result[region.code] = next((own[c] for c in reversed(chain) if own.get(c)), "")
    return result
