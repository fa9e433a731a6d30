"""Important service items and their periodic reviews (HM 5.4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.supervision.models.actions import CorrectiveAction


class ItemRating(models.TextChoices):
    GOOD = "good", _("Good")
    ACCEPTABLE = "acceptable", _("Acceptable")
    NEEDS_IMPROVEMENT = "needs_improvement", _("Needs improvement")
    POOR = "poor", _("Poor")


_ONE_ITEM = Q(service_item__isnull=False, offering__isnull=True) | Q(
    service_item__isnull=True, offering__isnull=False
)


class ImportantItem(models.Model):
    """A catalog service item or an institution's offering that a region's
    supervisors mark as important: reviewed every quarter (HM 5.4)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    service_item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
    )
    offering = models.ForeignKey(
        "institutions.Offering",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution's offering"),
    )
    note = models.CharField(_("why it is important"), max_length=200, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("important service item")
        verbose_name_plural = _("important service items")
        ordering = ["region__path", "id"]
        constraints = [
            models.CheckConstraint(condition=_ONE_ITEM, name="important_item_exactly_one"),
            models.UniqueConstraint(
                fields=["region", "service_item"],
                condition=Q(service_item__isnull=False),
                name="important_service_item_once",
            ),
            models.UniqueConstraint(
                fields=["region", "offering"],
                condition=Q(offering__isnull=False),
                name="important_offering_once",
            ),
        ]

    def __str__(self) -> str:
        return self.item_name

    @property
    def item_name(self) -> str:
        if self.offering_id is not None and self.offering is not None:
            return f"{self.offering.institution.name} · {self.offering.name}"
        return self.service_item.name if self.service_item is not None else ""


class ItemReview(models.Model):
    """One periodic review of an important service item (HM 5.4)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    service_item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service item"),
    )
    offering = models.ForeignKey(
        "institutions.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("institution's offering"),
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    findings = models.TextField(_("findings"))
    rating = models.CharField(_("overall rating"), max_length=20, choices=ItemRating.choices)
    effectiveness = models.TextField(_("summary of service effectiveness"))
    corrective_actions = models.ManyToManyField(
        CorrectiveAction,
        blank=True,
        related_name="item_reviews",
        verbose_name=_("linked corrective actions"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    created_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("service item review")
        verbose_name_plural = _("service item reviews")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-created_at"], name="item_review_region_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=_ONE_ITEM, name="item_review_exactly_one"),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="item_review_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} {self.period_start}–{self.period_end}"

    @property
    def item_name(self) -> str:
        if self.offering_id is not None and self.offering is not None:
            return f"{self.offering.institution.name} · {self.offering.name}"
        return self.service_item.name if self.service_item is not None else ""
