"""Running status, remote technical support (WX 4.1.2 c) and the published
operating rules (LZ 6.5.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobOutcome(models.TextChoices):
    RUNNING = "running", _("Running now")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed to run")


class JobRun(models.Model):
    """The last run of one periodic job (one row per task, updated in place).

    Written by the Celery signal handlers in monitoring.jobs whoever runs the
    job (a worker with beat, or the embedded in-process scheduler), so the
    status page can tell when a worker last did anything and which job broke.
    """

    task = models.CharField(_("job"), max_length=150, unique=True)
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last succeeded"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=JobOutcome.choices)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        ordering = ["task"]

    def __str__(self) -> str:
        return self.task


class SupportStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class SupportRequest(models.Model):
    """A staff member's request for technical support (WX 4.1.2 c).

    The context (role, region, page, browser) is taken from the session when
    the request is made, never typed in, so the administrator sees where the
    problem happened. Status changes only through monitoring.services.
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name=_("asked by"),
    )
    subject = models.CharField(_("subject"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    screenshot = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("screenshot"),
    )
    roles = models.CharField(_("roles"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    page = models.CharField(_("page"), max_length=300, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=SupportStatus.choices, default=SupportStatus.OPEN
    )
    reply = models.TextField(_("reply"), blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="support_status_idx")]

    def __str__(self) -> str:
        return self.subject


class SupportEvent(models.Model):
    """One step of a support request (who, when, from, to, note): the
    requester's timeline and the administrators' record."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=16, choices=SupportStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=SupportStatus.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class OperatingRules(models.Model):
    """One version of the platform's operating rules (LZ 6.5.2): daily work
    rules, post responsibilities, service work management. Never edited in
    place: each save is a new row, so who published what and when is kept."""

    daily_work = models.TextField(_("daily work rules"))
    post_responsibility = models.TextField(_("post responsibility management"))
    service_work = models.TextField(_("service work management"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("editor"),
    )
    published_at = models.DateTimeField(_("published on"), auto_now_add=True)

    class Meta:
        verbose_name = _("operating rules")
        verbose_name_plural = _("operating rules")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"operating rules v{self.pk}"
