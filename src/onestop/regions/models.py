import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# GB/T 2260 codes are six digits: PP0000 province, PPCC00 city, PPCCDD county
# level. Parks and sub-district areas have no national code; they get their
# parent's six digits plus three of their own.
_CODE = re.compile(r"^\d{6}(\d{3})?$")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District or county")
    PARK = "park", _("Park or town")


class Profile(models.TextChoices):
    """Which local standard a region's deployment follows (SPEC §3.11)."""

    LZ = "LZ", _("Liuzhou (LZ)")
    HM = "HM", _("Hami (HM)")
    WX = "WX", _("Wuxi (WX, DB3202/T 1063)")


def validate_region_code(code: str, level: str) -> None:
    if not _CODE.match(code or ""):
        raise ValidationError(_("%(code)s is not a region code."), params={"code": code})
    expected_shape = {
        RegionLevel.PROVINCE: code[2:6] == "0000" and len(code) == 6,
        RegionLevel.CITY: code[4:6] == "00" and code[2:4] != "00" and len(code) == 6,
        RegionLevel.DISTRICT: code[4:6] != "00" and len(code) == 6,
        RegionLevel.PARK: len(code) == 9,
    }
    if not expected_shape.get(RegionLevel(level), False):
        raise ValidationError(
            _("%(code)s does not fit a region of level %(level)s."),
            params={"code": code, "level": RegionLevel(level).label},
        )


class Region(models.Model):
    """A node of the region tree (province → city → district/county → park).

    ``path`` is the codes from the root joined by "/", ending in "/", so a
    subtree is one indexed prefix match; visibility filters rely on it.
    """

    code = models.CharField(_("code"), max_length=9, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=64, unique=True, editable=False)
    profile = models.CharField(
        _("deployment profile"), max_length=2, choices=Profile.choices, blank=True
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def effective_profile(self) -> str:
        """The profile set here or on the nearest ancestor ('' if none)."""
        node: Region | None = self
        while node is not None:
            if node.profile:
                return node.profile
            node = node.parent
        return ""
