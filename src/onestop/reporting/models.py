"""Statistics (WX 8.1.1, HM 5.3): pre-aggregated figures and published snapshots.

``Figure`` rows are the rollup: per day (and, summed from the days, per
month) × region × institution × station × metric × key, a count and a sum.
They are rebuilt for a range of days by onestop.reporting.services
(``figures_rollup``) and read only by onestop.reporting.tables, so a year of
a city is a few hundred thousand rows instead of millions of source rows.

A ``Snapshot`` is one publication of a period's tables for a region: never
changed afterwards; publishing the same period again adds a new version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from onestop.reporting.tables import Table


class Grain(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Figure(models.Model):
    """One pre-aggregated figure; ``day`` is the first day of the month for month rows.

    Stored at the source row's own region; a region's figures are the sum
    over its subtree (``region.path`` prefix). ``institution`` and
    ``station`` are set where the source row names one (else NULL).
    """

    grain = models.CharField(max_length=5, choices=Grain.choices)
    day = models.DateField()
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    metric = models.CharField(max_length=32)
    # A sub-key of the metric: the clock kind, complaint type, demand source,
    # "<form id>:<question key>:<answer value>" …; "" when there is none.
    key = models.CharField(max_length=100, blank=True)
    count = models.BigIntegerField(default=0)
    # A sum belonging to the count: scores, working days (0 when none).
    total = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        indexes = [models.Index(fields=["grain", "day", "region"], name="figure_grain_day_idx")]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.metric} {self.key}: {self.count}"


class RollupState(models.Model):
    """One row (pk=1): the last day rolled up by the nightly job; locked
    while a rollup runs so two rollups never interleave."""

    last_day = models.DateField(null=True, blank=True)
    ran_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("rollup state")
        verbose_name_plural = _("rollup states")

    def __str__(self) -> str:
        return f"rolled up to {self.last_day}"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom period")


class EvaluationMethod(models.TextChoices):
    """How the published results were obtained (WX 8.1.2)."""

    USER = "user", _("User satisfaction evaluation")
    SELF = "self", _("Self-evaluation")
    THIRD_PARTY = "third_party", _("Third-party evaluation")


class Snapshot(models.Model):
    """The published results of one period for one region; immutable."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    version = models.PositiveIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    # What period_tables returned, as plain JSON (titles in the publisher's language).
    tables = models.JSONField(_("tables"))
    methods = models.JSONField(_("evaluation methods"), default=list)
    remarks = models.TextField(_("remarks"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("published statistics")
        verbose_name_plural = _("published statistics")
        ordering = ["-end", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "start", "end", "version"], name="snapshot_version_once"
            )
        ]
        indexes = [models.Index(fields=["-end", "-published_at"], name="snapshot_newest_idx")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A published snapshot is immutable; publish a new version.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reporting:published_detail", kwargs={"pk": self.pk})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("A published snapshot is never deleted.")

    def table_list(self) -> list[Table]:
        from onestop.reporting.tables import Table

        return [Table(**table) for table in self.tables]

    def method_labels(self) -> list[str]:
        labels = dict(EvaluationMethod.choices)
        return [str(labels[m]) for m in self.methods if m in labels]
