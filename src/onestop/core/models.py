from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """An administrator has entered this year's whole holiday schedule.

    Needed only for years chinese-calendar does not cover; from then on the
    year's days are Monday–Friday working days unless a CalendarDay says
    otherwise.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day whose status overrides the library: a holiday or an adjusted workday."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'rest day'}"


class SlaOutcome(models.TextChoices):
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")


class SlaClock(models.Model):
    """A deadline counted in working days for one obligation on one subject.

    Started, paused, resumed and stopped only through onestop.core.services;
    due_at moves back by the working time spent paused. at_risk_at is when
    half of the working time is used up (the workbench highlights it).
    """

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("kind"), max_length=64)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    working_days = models.PositiveSmallIntegerField(_("working days allowed"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    at_risk_at = models.DateTimeField(_("at risk from"))
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=SlaOutcome.choices, blank=True)
    # Set when the at-risk / breach notice went out, so each fires once.
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    breach_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=models.Q(stopped_at__isnull=True),
                name="one_running_clock_per_subject_kind",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(stopped_at__isnull=True, paused_at__isnull=True),
                name="sla_running_due_idx",
            ),
            models.Index(fields=["subject_type", "subject_id"], name="sla_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type_id}:{self.subject_id}"

    @property
    def kind_label(self) -> str:
        from onestop.core.sla_kinds import sla_kind_label

        return sla_kind_label(self.kind)

    @property
    def is_running(self) -> bool:
        return self.stopped_at is None and self.paused_at is None


class SlaPause(models.Model):
    """One interval during which a clock did not run (e.g. waiting for the user)."""

    clock = models.ForeignKey(SlaClock, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"pause of clock {self.clock_id} from {self.started_at:%Y-%m-%d %H:%M}"


class Sequence(models.Model):
    """The last number given out under one key (``complaints:2026`` …).

    Incremented only by onestop.core.sequences.next_value: one INSERT … ON
    CONFLICT DO UPDATE … RETURNING statement, so two callers never share a
    number and a rolled-back caller leaves no gap-filling row behind.
    """

    key = models.CharField(max_length=64, primary_key=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class IdempotencyKey(models.Model):
    """The stored answer to a submission sent with an ``Idempotency-Key`` header.

    Written by onestop.core.idempotency in the same transaction as the
    submission itself, so a client that lost the answer (a 503 after the
    commit, issue 7) gets it again instead of a duplicate. The key belongs
    to a principal (``scope``: the logged-in user, or the signed link that
    stands in for a login), not to one operation: reusing it for another
    operation or body is refused, as Stripe and the IETF draft do. Purged
    after 24 hours.
    """

    # Set for keys of logged-in users, so that closing an account removes them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scope = models.CharField(max_length=80)  # "user:<pk>" or "link:<sha256 of the token>"
    key = models.CharField(max_length=255)
    operation = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)  # SHA-256 of the canonical request input
    status = models.PositiveSmallIntegerField()
    # The JSON answer as sent, byte for byte (jsonb would reorder its keys).
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="one_idempotency_key_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"
