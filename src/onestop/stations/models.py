"""Offline stations: the service center → station → service point hierarchy
(HM 4.1.1.1), the four station kinds (WX 5.2), their public disclosure
(WX 4.2.4, LZ 6.1.5) and opening hours (WX 5.3 d)."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from onestop.regions.models import Region


class Tier(models.TextChoices):
    CENTER = "center", _("Service center")
    STATION = "station", _("Service station")
    POINT = "point", _("Service point")


# Display and grouping order, top of the hierarchy first.
TIER_ORDER = (Tier.CENTER, Tier.STATION, Tier.POINT)

# Which tiers may sit directly above each tier (HM 4.1.1.1). A station may also
# stand alone (WX and LZ have no service center tier); a point never does.
ALLOWED_PARENTS: dict[str, frozenset[str]] = {
    Tier.CENTER: frozenset(),
    Tier.STATION: frozenset({Tier.CENTER}),
    Tier.POINT: frozenset({Tier.STATION, Tier.CENTER}),
}


class StationKind(models.TextChoices):
    REGULATOR_OR_PARK = "regulator_or_park", _("Market-regulation office or town/park")
    INSTITUTION = "institution", _("Technical institution")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class StationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class Station(models.Model):
    """One offline place where the platform's services are offered."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="stations", verbose_name=_("region")
    )
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    kind = models.CharField(_("kind"), max_length=24, choices=StationKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    name = models.CharField(_("name"), max_length=80)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=40)
    organisation = models.TextField(_("organisation"), blank=True)
    duties_and_rules = models.TextField(_("duties and rules"), blank=True)
    services = models.TextField(_("services"), blank=True)
    methods = models.TextField(_("service methods"), blank=True)
    flow = models.TextField(_("service flow"), blank=True)
    self_service_kiosk = models.BooleanField(_("self-service kiosk"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=StationStatus.choices, default=StationStatus.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                condition=Q(status="active"),
                name="station_active_name_unique_in_region",
            ),
            models.CheckConstraint(
                condition=~Q(tier="center") | Q(parent__isnull=True),
                name="station_center_has_no_parent",
            ),
            models.CheckConstraint(
                condition=~Q(tier="point") | Q(parent__isnull=False),
                name="station_point_has_parent",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="station_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == StationStatus.ACTIVE

    @property
    def complaint_tel(self) -> str:
        """The complaint phone as a tel: target (digits, + and - only)."""
        return re.sub(r"[^0-9+\-]", "", self.complaint_phone)

    @property
    def phone_tel(self) -> str:
        return re.sub(r"[^0-9+\-]", "", self.phone)


class HoursKind(models.TextChoices):
    REGULAR = "regular", _("Regular hours")
    EXTENDED = "extended", _("Extended hours")
    STAGGERED = "staggered", _("Staggered hours")


class OpeningHours(models.Model):
    """One opening block on one weekday; a day may have several (WX 5.3 d)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"))  # 0 Monday … 6 Sunday
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    kind = models.CharField(
        _("kind of hours"), max_length=16, choices=HoursKind.choices, default=HoursKind.REGULAR
    )
    note = models.CharField(_("note"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="hours_opens_first"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"
