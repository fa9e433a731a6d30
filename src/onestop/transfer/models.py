"""Bulk import of the four directories from Excel, one ImportJob per upload
(LZ 4.1: bring in the directories departments already keep instead of
typing them again). Changed only through onestop.transfer.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    INSTITUTION = "institution", _("Service institutions")
    OFFERING = "offering", _("Institution services")
    EXPERT = "expert", _("Experts")
    STATION = "station", _("Stations")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking the rows")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


RUNNING = frozenset({JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.IMPORTING})


class ImportJob(models.Model):
    """One uploaded workbook and what became of it.

    The file is kept privately (PRIVATE_MEDIA_ROOT, never served) only until
    the job ends; the error report stays so the uploader can correct the file.
    """

    kind = models.CharField(_("list"), max_length=16, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # Name in onestop.documents.storage.private_storage() (built on each use, so
    # a changed PRIVATE_MEDIA_ROOT applies); empty once the job has ended.
    file = models.CharField(_("file"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    imported_rows = models.PositiveIntegerField(_("rows imported"), default=0)
    # A problem with the file as a whole (not a workbook, wrong columns, too many rows).
    error = models.TextField(_("error"), blank=True)
    # Row problems: [{"row": 5, "column": "地区代码", "message": "…"}, …], capped.
    error_report = models.JSONField(_("row report"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("problems found"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    # The uploader's regions when the job was queued: {"everywhere": false, "paths": [...]}.
    scope = models.JSONField(_("region scope"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="transfer_job_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)
