"""Corrective actions (整改, HM 5.1): the action, its events and its evidence files."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NUMBER_PREFIX = "ZG"
TEXT_MAX = 2000
EVIDENCE_FILES_MAX = 5
# A due date further away than this is a typing error, not a plan.
DUE_DAYS_MAX = 366
DUE_WORKING_DAYS_MAX = 120


class TargetKind(models.TextChoices):
    INSTITUTION = "institution", _("Service institution")
    STATION = "station", _("Service station")
    STAFF = "staff", _("Staff member")


class SourceKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    RECTIFICATION = "rectification", _("Rectification case after a bad evaluation")
    INSPECTION = "inspection", _("Supervision inspection")
    ITEM_REVIEW = "item_review", _("Review of an important service item")
    OTHER = "other", _("Other finding")


class ActionStatus(models.TextChoices):
    ISSUED = "issued", _("Issued, awaiting correction")
    EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted, awaiting verification")
    REJECTED_EVIDENCE = "rejected_evidence", _("Evidence not accepted, to resubmit")
    VERIFIED = "verified", _("Verified and closed")
    CANCELLED = "cancelled", _("Cancelled")


# Not closed: the action still binds the target (or awaits the supervisor).
OPEN_STATUSES = (
    ActionStatus.ISSUED,
    ActionStatus.EVIDENCE_SUBMITTED,
    ActionStatus.REJECTED_EVIDENCE,
)
# The next move is the target's: an overdue action in these states counts
# against the target (credit grades); after evidence it awaits the supervisor.
AWAITING_TARGET = (ActionStatus.ISSUED, ActionStatus.REJECTED_EVIDENCE)
OVERDUE = "overdue"


class CorrectiveAction(models.Model):
    """One corrective action (整改通知) against exactly one target."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    target_kind = models.CharField(_("addressed to"), max_length=16, choices=TargetKind.choices)
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("institution"),
    )
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("station"),
    )
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("staff member"),
    )
    # The supervisors of this region's subtree handle it.
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices)
    source_text = models.CharField(_("source details"), max_length=200, blank=True)
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("complaint"),
    )
    rectification_case = models.ForeignKey(
        "evaluations.RectificationCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("rectification case"),
    )
    inspection_reference = models.CharField(
        _("inspection record number"), max_length=60, blank=True
    )
    problem = models.TextField(_("problem found"))
    requirement = models.TextField(_("correction required"))
    due_on = models.DateField(_("correct by"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing supervisor"),
    )
    issued_at = models.DateTimeField(_("issued at"))
    # The latest evidence (each round is also an event with its files).
    evidence = models.TextField(_("evidence of correction"), blank=True)
    evidence_submitted_at = models.DateTimeField(_("evidence submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "due_on"], name="action_queue_idx"),
            models.Index(fields=["region", "issued_at"], name="action_period_idx"),
            models.Index(fields=["institution", "status", "due_on"], name="action_inst_idx"),
            models.Index(fields=["station", "status"], name="action_station_idx"),
            models.Index(fields=["staff_member", "status"], name="action_staff_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        target_kind="institution",
                        institution__isnull=False,
                        station__isnull=True,
                        staff_member__isnull=True,
                    )
                    | Q(
                        target_kind="station",
                        station__isnull=False,
                        institution__isnull=True,
                        staff_member__isnull=True,
                    )
                    | Q(
                        target_kind="staff",
                        staff_member__isnull=False,
                        institution__isnull=True,
                        station__isnull=True,
                    )
                ),
                name="action_exactly_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def target(self) -> models.Model:
        """The institution, station or staff member addressed (loaded with the row)."""
        found = {
            TargetKind.INSTITUTION: self.institution,
            TargetKind.STATION: self.station,
            TargetKind.STAFF: self.staff_member,
        }[TargetKind(self.target_kind)]
        if found is None:  # pragma: no cover - the check constraint forbids it
            raise ValueError(f"corrective action {self.pk} has no target")
        return found

    @property
    def target_name(self) -> str:
        target = self.target
        if self.target_kind == TargetKind.STAFF:
            return str(target)
        return str(target.name)  # type: ignore[attr-defined]

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Not closed and the due date has passed (the last day itself still counts)."""
        return self.is_open() and self.due_on < (today or timezone.localdate())

    @property
    def state(self) -> str:
        """The status, or "overdue" when the due date passed before it was closed."""
        return OVERDUE if self.is_overdue() else str(self.status)

    @property
    def state_label(self) -> str:
        if self.is_overdue():
            return str(_("Overdue (%(status)s)") % {"status": self.get_status_display()})
        return str(self.get_status_display())

    @property
    def staff_url(self) -> str:
        return reverse("supervision:action", kwargs={"pk": self.pk})

    @property
    def target_url(self) -> str:
        return reverse("supervision:my_action", kwargs={"pk": self.pk})


class ActionEvent(models.Model):
    """One step of a corrective action: who, when, from, to, note (the timeline)."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["action", "at"], name="action_event_idx")]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.from_status} → {self.to_status}"


class ActionDocument(models.Model):
    """A file submitted as evidence, with the event (round) it came with."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="documents")
    event = models.ForeignKey(ActionEvent, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"evidence {self.document_id} of {self.action_id}"
