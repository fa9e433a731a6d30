"""Demands (WX 5.1 b, 7.2.2; HM 4.3): what an enterprise or person needs when
self-matching found nothing, or what staff collected by phone, on site, by
letter or on a visit; the response and recommendation that follow
(WX 7.2.2.2.1: respond within 1 working day, recommend within 3), docking
with the chosen institution, escalation to the service center and the
stations' enterprise visits. Changed only through onestop.demands.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onestop.core.crypto import EncryptedTextField, mask_mobile


class DemandSource(models.TextChoices):
    ONLINE = "online", _("Published online by the user")
    PHONE = "phone", _("By phone")
    ON_SITE = "on_site", _("At a station or the service center")
    LETTER = "letter", _("By letter")
    VISIT = "visit", _("On an enterprise visit")


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")
    INBOX = "inbox", _("Message on the platform")


class DemandStatus(models.TextChoices):
    PUBLISHED = "published", _("Awaiting response")
    RESPONDED = "responded", _("Responded, recommendation in progress")
    RECOMMENDED = "recommended", _("Institutions recommended")
    DOCKED = "docked", _("Docked with an institution")
    REFERRED = "referred", _("Referred to an institution outside the platform")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Withdrawn by the user")


# Clock kinds (onestop.core.sla_kinds has their labels).
RESPONSE_CLOCK = "demand_response"
RECOMMENDATION_CLOCK = "demand_recommendation"


class Demand(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    # Who needs the service: a registered user (and their enterprise), or a
    # prospect staff registered who has no account yet.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("requester"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("enterprise"),
    )
    prospect_name = models.CharField(_("prospect's name"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    contact_method = models.CharField(
        _("how to be contacted"), max_length=16, choices=ContactMethod.choices
    )
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        on_delete=models.PROTECT,
        related_name="demands",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    desired_date = models.DateField(_("wanted by"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=16, choices=DemandSource.choices)
    visit = models.ForeignKey(
        "Visit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("found on the visit"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="demands",
        verbose_name=_("responsible station"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_demands",
        verbose_name=_("responsible staff"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DemandStatus.choices, default=DemandStatus.PUBLISHED
    )
    response_note = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | ~Q(prospect_name=""),
                name="demand_has_requester_or_prospect",
            )
        ]
        indexes = [
            models.Index(fields=["status", "region"], name="demand_status_region_idx"),
            models.Index(
                fields=["region", "created_at"],
                condition=Q(escalated_at__isnull=False),
                name="demand_escalated_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        """The requester's page of the demand."""
        return reverse("demands:detail", args=[self.number])

    @property
    def masked_contact_phone(self) -> str:
        """The contact number as pages show it (138****1234); the full one only
        through ``contact_reveal``, which records who looked."""
        return mask_mobile(self.contact_phone) if self.contact_phone else ""

    @property
    def staff_url(self) -> str:
        """The workbench page of the demand (clock notices link here)."""
        return reverse("demands:manage_detail", args=[self.number])


# What each DemandEvent.kind means, for the history both sides read.
EVENT_LABELS = {
    "publish": _("Published online"),
    "register": _("Registered by staff"),
    "claim": _("Taken on by staff"),
    "assign": _("Assigned"),
    "respond": _("Responded: contact made, need clarified"),
    "recommend": _("Institutions recommended"),
    "refer": _("Referred to an institution outside the platform"),
    "accept": _("Institution chosen by the user (docked)"),
    "docking_record": _("Agreed project recorded"),
    "escalate": _("Escalated to the service center"),
    "cancel": _("Withdrawn by the user"),
    "close": _("Closed"),
}


class DemandEvent(models.Model):
    """One step in a demand's life (the history staff and the user see)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=DemandStatus.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.demand_id} {self.kind}"

    @property
    def kind_label(self) -> str:
        return str(EVENT_LABELS.get(self.kind, self.kind))


class DemandAttachment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.demand_id}: {self.document_id}"


class Recommendation(models.Model):
    """One institution (an offering of it) recommended for a demand, with the
    engine's score and its parts, or one found outside the platform
    (WX 7.2.2.2.3: offering and institution empty, external_* filled)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="recommendations")
    offering = models.ForeignKey(
        "institutions.Offering",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    external_name = models.CharField(
        _("institution outside the platform"), max_length=200, blank=True
    )
    external_contact = models.CharField(_("its contact"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    score = models.DecimalField(max_digits=7, decimal_places=3, default=0)
    explanation = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note to the user"), blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["demand", "offering"],
                condition=Q(offering__isnull=False),
                name="one_recommendation_per_offering",
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(external_name=""),
                name="recommendation_names_an_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} → {self.institution_id or self.external_name}"


class Docking(models.Model):
    """The user accepted a recommendation; staff record what was agreed
    (WX 7.2.2.2.2). Both sides then see each other's contact."""

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, related_name="docking")
    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.PROTECT, related_name="docking"
    )
    project = models.CharField(_("project"), max_length=200, blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    price = models.DecimalField(
        _("agreed price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"docking of {self.demand_id}"


class Visit(models.Model):
    """A station's visit to an enterprise and the needs found (HM 4.3.2)."""

    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="visits")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    prospect_name = models.CharField(_("enterprise not yet registered"), max_length=200, blank=True)
    visited_on = models.DateField(_("date of the visit"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits")
    needs_found = models.TextField(_("needs found"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False) | ~Q(prospect_name=""),
                name="visit_names_an_enterprise",
            )
        ]

    def __str__(self) -> str:
        return f"visit {self.visited_on} by {self.station_id}"


class DemandSequence(models.Model):
    """The last demand number handed out on one China day. The row is locked
    while a number is taken, so two publications never share one."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
