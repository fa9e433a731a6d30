"""The expert pool (HM 4.1.2.1, LZ 6.2.3), kept by the service center.

The public directory shows who an expert is and what they know, never how to
reach them: contact details are encrypted and shown only to staff.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.crypto import EncryptedTextField


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited availability")
    UNAVAILABLE = "unavailable", _("Not available")


class Expert(models.Model):
    name = models.CharField(_("full name"), max_length=50)
    title = models.CharField(_("professional title"), max_length=60)
    organisation = models.CharField(_("employer"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    categories = models.ManyToManyField(
        "catalog.ServiceCategory", related_name="experts", verbose_name=_("fields of expertise")
    )
    specialties = models.CharField(_("specialties"), max_length=300)
    qualifications = models.TextField(_("professional qualifications"), blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_email = EncryptedTextField(_("contact e-mail"), blank=True)
    active = models.BooleanField(_("in the pool"), default=True)
    # Why and when the service center took the expert out of the pool; the
    # row stays, so past consultations keep their expert.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    VIDEO = "video", _("Video meeting")
    WECHAT = "wechat", _("WeChat")
    PHONE = "phone", _("Telephone")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


CAPACITY_MIN, CAPACITY_MAX = 1, 500


class QaSession(models.Model):
    """A scheduled online Q&A given by an expert of the pool (HM 4.3.3.1).

    How to join (meeting link, WeChat group, dial-in number) is shown only to
    the people registered for the session and to the staff who run it.
    """

    expert = models.ForeignKey(
        Expert, on_delete=models.PROTECT, related_name="qa_sessions", verbose_name=_("expert")
    )
    topic = models.CharField(_("topic"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("field of expertise"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    join_info = EncryptedTextField(_("how to join"))
    # The organising service center's region.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SessionStatus.choices,
        default=SessionStatus.SCHEDULED,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("online Q&A session")
        verbose_name_plural = _("online Q&A sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"], name="qa_session_upcoming_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="qa_session_starts_before_end",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=CAPACITY_MIN, capacity__lte=CAPACITY_MAX),
                name="qa_session_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    @property
    def places_left(self) -> int:
        """Free places; needs the ``taken`` annotation of the session selectors."""
        taken: int = getattr(self, "taken", 0)
        return max(self.capacity - taken, 0)


class QaRegistration(models.Model):
    """One person's place in a session, with the question they bring."""

    session = models.ForeignKey(
        QaSession,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("online Q&A session"),
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="qa_registrations",
        verbose_name=_("user"),
    )
    question = models.CharField(_("question"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Q&A registration")
        verbose_name_plural = _("Q&A registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=models.Q(cancelled_at__isnull=True),
                name="qa_one_live_registration",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.user}"
