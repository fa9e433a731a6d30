"""The annual summary of evaluations and the improvement plan (WX 8.1.3, 8.2, HM 5.3).

For a region and a year, staff enter an ImprovementPlan's items (problem,
measure, owner, due date) and track each through planned → in progress →
done → re-checked (onestop.summaries.rules); every move is an
ImprovementEvent. An AnnualSummary is one generation of the year's PDF and
workbook (statistics, dissatisfaction analysis, plan, corrective actions),
made by a task that reports its progress. Publishing a final summary
publishes the plan: its wording is frozen from then on, while the progress
of its items (and the re-check results) keeps showing on the public page.

Changed only through onestop.summaries.services.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PROBLEM_MAX = 1000
MEASURE_MAX = 2000
OWNER_MAX = 100
NOTE_MAX = 1000
RESULT_MAX = 2000


class ImprovementPlan(models.Model):
    """The improvement plan of one region for one year (WX 8.2 c)."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Any item added, edited, removed or moved: a summary generated before
    # this no longer shows the plan as it is, so it cannot be published.
    changed_at = models.DateTimeField(_("last changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="summaries_plan_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "summaries:public_plan", kwargs={"code": self.region.code, "year": self.year}
        )

    @property
    def published(self) -> bool:
        return self.published_at is not None


class ItemState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done, awaiting re-check")
    RECHECKED = "rechecked", _("Re-checked")


class ImprovementItem(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(_("no."))
    problem = models.TextField(_("problem found"))
    measure = models.TextField(_("improvement measure"))
    owner = models.CharField(_("responsible department or person"), max_length=OWNER_MAX)
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=16, choices=ItemState.choices, default=ItemState.PLANNED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    recheck_result = models.TextField(_("re-check result"), blank=True)
    rechecked_on = models.DateField(_("re-checked on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="summaries_item_number_once"),
            models.CheckConstraint(
                condition=~Q(state="rechecked") | Q(rechecked_on__isnull=False),
                name="summaries_item_rechecked_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.number}"

    @property
    def staff_url(self) -> str:
        return reverse("summaries:item", kwargs={"pk": self.pk})


class ImprovementEvent(models.Model):
    """One move of an item (who, when, from, to, note): its progress record."""

    item = models.ForeignKey(ImprovementItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=16, choices=ItemState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=ItemState.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["item", "at"], name="summaries_event_item_idx")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_state} → {self.to_state}"


class SummaryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", pgettext_lazy("summary status", "Failed")


RUNNING = (SummaryStatus.QUEUED, SummaryStatus.RUNNING)


class SummaryStep(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    STATISTICS = "statistics", _("Collecting the statistics of the year")
    ANALYSIS = "analysis", _("Analysing dissatisfaction")
    PDF = "pdf", _("Writing the PDF report")
    XLSX = "xlsx", _("Writing the Excel workbook")
    FINISHED = "finished", _("Finished")


class AnnualSummary(models.Model):
    """One generation of a region's annual summary (WX 8.1.3, HM 5.3).

    The PDF and the workbook are kept privately (PRIVATE_MEDIA_ROOT, never
    served by the web server) and downloaded only by summary managers of
    the region. A summary of the year still running is *provisional*.
    """

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    provisional = models.BooleanField(_("provisional (the year is not over)"), default=False)
    # The last day covered: 31 December, or the day a provisional one was requested.
    period_end = models.DateField(_("figures up to"))
    status = models.CharField(
        _("status"), max_length=16, choices=SummaryStatus.choices, default=SummaryStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(
        _("step"), max_length=16, choices=SummaryStep.choices, default=SummaryStep.QUEUED
    )
    # [{"step": "statistics", "progress": 5, "at": "2026-…"}, …]: what the run went through.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Names in onestop.documents.storage.private_storage(); empty until done.
    pdf_file = models.CharField(max_length=200, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    xlsx_file = models.CharField(max_length=200, blank=True)
    xlsx_size = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        verbose_name = _("annual summary")
        verbose_name_plural = _("annual summaries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "year", "-created_at"], name="summaries_region_year_idx")
        ]
        constraints = [
            # One generation at a time per region and year (WX 8.1.3).
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(status__in=["queued", "running"]),
                name="summaries_one_running_per_year",
            ),
            models.UniqueConstraint(
                fields=["region", "year"],
                condition=Q(published_at__isnull=False),
                name="summaries_published_once_per_year",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="summaries_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def staff_url(self) -> str:
        return reverse("summaries:detail", kwargs={"pk": self.pk})

    def step_log(self) -> list[dict[str, Any]]:
        """The steps the generation went through, with their labels and times."""
        return [
            {
                "step": entry["step"],
                "label": SummaryStep(entry["step"]).label,
                "progress": entry.get("progress", 0),
                "at": parse_datetime(entry.get("at", "")),
            }
            for entry in self.steps
            if entry.get("step") in SummaryStep.values
        ]
