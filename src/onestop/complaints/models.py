"""Complaints (WX 7.4.2–7.4.3, HM 5.6, handled in the stages of GB/T 19012):
received online, by phone, at a station or by letter; numbered TS-yyyy-nnnnnn;
investigated and forwarded within 7 working days; the institution responds,
the center concludes, the complainant gets the feedback and closes the
complaint with their satisfaction, and may reopen it within 30 days.

The state table lives in onestop.complaints.rules; rows change only through
onestop.complaints.services, and every move writes a ComplaintEvent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onestop.core.crypto import EncryptedTextField

# Clock kind: investigate and forward (or conclude) within 7 working days (WX 7.4.3).
INVESTIGATION_CLOCK = "complaint_investigation"
INVESTIGATION_WORKING_DAYS = 7
REOPEN_DAYS = 30
CONTENT_MAX = 5000
REQUEST_MAX = 2000
NUMBER_PREFIX = "TS"


class Channel(models.TextChoices):
    ONLINE = "online", pgettext_lazy("complaint channel", "Online")
    PHONE = "phone", pgettext_lazy("complaint channel", "Phone")
    STATION = "station", _("At a station")
    LETTER = "letter", _("Letter")


class Target(models.TextChoices):
    INSTITUTION = "institution", _("A service institution")
    STATION = "station", _("A service station")
    PLATFORM = "platform", _("The platform or the service center")


class ComplaintType(models.TextChoices):
    QUALITY = "quality", _("Service quality or results")
    TIMELINESS = "timeliness", _("Delay or missed deadline")
    ATTITUDE = "attitude", _("Attitude or conduct")
    FEES = "fees", _("Fees")
    INTEGRITY = "integrity", _("Integrity (false reports, misleading claims)")
    PRIVACY = "privacy", _("Personal or business information")
    OTHER = "other", _("Other")


class ComplaintStatus(models.TextChoices):
    # "Received" alone is already the label of a demand form field ("how received").
    RECEIVED = "received", pgettext_lazy("complaint status", "Received")
    INVESTIGATING = "investigating", _("Under investigation")
    FORWARDED = "forwarded", _("Forwarded to the institution")
    RESPONDED = "responded", _("Institution has responded")
    CONCLUDED = "concluded", _("Concluded by the service center")
    FED_BACK = "fed_back", _("Outcome sent to the complainant")
    CLOSED = "closed", _("Closed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    WITHDRAWN = "withdrawn", pgettext_lazy("complaint status", "Withdrawn")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Complaint(models.Model):
    number = models.CharField(_("complaint number"), max_length=20, unique=True)
    channel = models.CharField(_("received by"), max_length=16, choices=Channel.choices)
    # Who complains: a registered user, or a person staff registered offline.
    # The center always knows who complains (never anonymous to the center).
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("complainant"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("on behalf of the enterprise"),
    )
    complainant_name = models.CharField(_("complainant's name"), max_length=50)
    complainant_phone = EncryptedTextField(_("complainant's phone"), blank=True)
    # Hides the complainant from the institution (not from the center).
    anonymous_to_institution = models.BooleanField(
        _("do not tell the institution who I am"), default=False
    )
    target = models.CharField(_("complaint about"), max_length=16, choices=Target.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("institution complained about"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("station complained about"),
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("related order"),
    )
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("related demand"),
    )
    # The follow-up visit whose issues became this complaint (one at most).
    follow_up = models.OneToOneField(
        "fieldwork.FollowUp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaint",
        verbose_name=_("from the follow-up visit"),
    )
    # Staff of this region handle it (the institution's or station's region,
    # else the complainant's).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    type = models.CharField(_("type"), max_length=16, choices=ComplaintType.choices)
    content = models.TextField(_("what happened"))
    request = models.TextField(_("what the complainant asks for"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    # Registered offline by staff (phone, station, letter); the station where
    # it was received, if any.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    received_at_station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received at the station"),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    received_at = models.DateTimeField(_("received at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True)
    institution_response = models.TextField(_("the institution's response"), blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    conclusion = models.TextField(_("the service center's conclusion"), blank=True)
    upheld = models.BooleanField(_("complaint upheld"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)
    feedback = models.TextField(_("feedback to the complainant"), blank=True)
    fed_back_at = models.DateTimeField(_("fed back at"), null=True, blank=True)
    satisfaction = models.CharField(
        _("complainant's satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "-received_at"], name="complaint_queue_idx"),
            models.Index(fields=["institution", "-received_at"], name="complaint_inst_idx"),
            models.Index(fields=["complainant", "-received_at"], name="complaint_user_idx"),
            models.Index(fields=["enterprise", "-received_at"], name="complaint_ent_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="institution", institution__isnull=False, station__isnull=True)
                    | Q(target="station", station__isnull=False, institution__isnull=True)
                    | Q(target="platform", institution__isnull=True, station__isnull=True)
                ),
                name="complaint_target_matches",
            ),
            models.CheckConstraint(
                condition=Q(complainant__isnull=False) | Q(registered_by__isnull=False),
                name="complaint_has_a_source",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        """The complainant's page of the complaint."""
        return reverse("complaints:detail", kwargs={"number": self.number})

    @property
    def staff_url(self) -> str:
        return reverse("complaints:manage_detail", kwargs={"number": self.number})

    @property
    def institution_url(self) -> str:
        return reverse("complaints:institution_detail", kwargs={"number": self.number})

    @property
    def responsible_url(self) -> str:
        return self.staff_url


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status change")
    NOTE = "note", _("Note")
    ATTACHMENT = "attachment", _("Attachment")


class ComplaintEvent(models.Model):
    """One step of a complaint: who, when, from, to, note (the timeline)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.TRANSITION)
    from_status = models.CharField(max_length=16, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ComplaintStatus.choices, blank=True)
    note = models.TextField(blank=True)
    # Whether the institution sees this step (internal notes stay with the center).
    visible_to_institution = models.BooleanField(default=False)
    # When the text message about this step went to a complainant who has no
    # account (registered offline by phone or letter); set once.
    sms_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_status} → {self.to_status}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk} of complaint {self.complaint_id}"
