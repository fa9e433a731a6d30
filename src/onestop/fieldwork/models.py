"""What stations and the service center do around orders and demands:
proxy handling (WX 5.3 b, HM 4.2.5.2), samples and their chain of custody
(WX 5.2 a 1, HM 4.2.4.3), appointments (WX 5.2 b 3) and follow-up visits
(HM 4.3.4.2, WX 7.2.2.2.4). Changed only through onestop.fieldwork.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ProxyTask(models.Model):
    """One piece of work a station does on a user's behalf for an order."""

    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="proxy_tasks")
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, related_name="proxy_tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_tasks",
        verbose_name=_("assigned to"),
    )
    title = models.CharField(_("task"), max_length=200)
    due_at = models.DateTimeField(_("due at"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["station", "status", "due_at"], name="proxy_queue_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        """The status as pages show it ("Open" alone is taken by other
        meanings in the message catalogue)."""
        return str(TASK_STATUS_LABELS.get(self.status, self.status))


TASK_STATUS_LABELS: dict[str, StrOrPromise] = {
    TaskStatus.OPEN: _("To do"),
    TaskStatus.DONE: _("Done"),
    TaskStatus.CANCELLED: _("Cancelled"),
}


class SampleStatus(models.TextChoices):
    AT_STATION = "at_station", _("Received at the station")
    IN_TRANSIT = "in_transit", _("Sent to the institution")
    AT_INSTITUTION = "at_institution", _("Received by the institution")
    REJECTED = "rejected", _("Rejected by the institution")
    REPORT_READY = "report_ready", _("Report ready for pick-up")
    HANDED_OUT = "handed_out", _("Report handed out")


class Sample(models.Model):
    """A sample a station takes in for an order and sends to the institution."""

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="samples")
    station = models.ForeignKey(
        "stations.Station", on_delete=models.PROTECT, related_name="samples"
    )
    number = models.CharField(_("sample number"), max_length=30, unique=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.CharField(_("quantity"), max_length=60)
    condition = models.CharField(_("condition on receipt"), max_length=300)
    photo = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SampleStatus.choices, default=SampleStatus.AT_STATION
    )
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    report = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The pick-up code is shown once to the user; only its hash is kept.
    pickup_code_hash = models.CharField(max_length=128, blank=True)
    pickup_failures = models.PositiveSmallIntegerField(default=0)
    pickup_locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["station", "status"], name="sample_queue_idx")]

    def __str__(self) -> str:
        return self.number


class SampleEvent(models.Model):
    """The chain of custody: one row per hand-over, in order."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=16, choices=SampleStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=SampleStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.sample_id}: {self.to_status}"


class SlotPurpose(models.TextChoices):
    VISIT = "visit", _("Visit")
    SAMPLE_DROP_OFF = "sample_drop_off", _("Sample drop-off")


class Slot(models.Model):
    """A bookable time at a station or an institution (WX 5.2 b 3)."""

    station = models.ForeignKey(
        "stations.Station", on_delete=models.CASCADE, null=True, blank=True, related_name="slots"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=SlotPurpose.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(station__isnull=False, institution__isnull=True)
                | Q(station__isnull=True, institution__isnull=False),
                name="slot_at_one_place",
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_ordered"),
            # Generating slots twice for the same hours does not make twins.
            models.UniqueConstraint(
                fields=["station", "starts_at"],
                condition=Q(station__isnull=False),
                name="one_station_slot_per_start",
            ),
            models.UniqueConstraint(
                fields=["institution", "starts_at"],
                condition=Q(institution__isnull=False),
                name="one_institution_slot_per_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"


class Appointment(models.Model):
    """One booking of a slot; a slot holds one live booking (no double booking)."""

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="one_live_booking_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"booking of slot {self.slot_id}"


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


# How the pages name the methods ("Phone" and "Online" alone mean other
# things in the message catalogue: a phone-number field, online service).
FOLLOW_UP_METHOD_LABELS: dict[str, StrOrPromise] = {
    FollowUpMethod.PHONE: _("By phone"),
    FollowUpMethod.ON_SITE: _("On site, in person"),
    FollowUpMethod.ONLINE: _("Online, by video or messages"),
}


class IssueAction(models.TextChoices):
    """What became of the issues a follow-up found."""

    NONE = "", _("Recorded only")
    DEMAND = "demand", _("Registered as a new demand")
    # Registered as a complaint (onestop.complaints), linked by Complaint.follow_up.
    COMPLAINT = "complaint", _("To be handled as a complaint")


class FollowUp(models.Model):
    """A follow-up visit after an order or a demand (HM 4.3.4.2, WX 7.2.2.2.4)."""

    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due on"))
    method = models.CharField(
        _("method"), max_length=16, choices=FollowUpMethod.choices, blank=True
    )
    content = models.TextField(_("what was discussed"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    issues_found = models.TextField(_("issues found"), blank=True)
    new_demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issues_action = models.CharField(
        _("what to do about the issues"),
        max_length=16,
        choices=IssueAction.choices,
        blank=True,
        default=IssueAction.NONE,
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    # Set when the people responsible were told it is due (once per follow-up).
    due_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(order__isnull=False) | Q(demand__isnull=False),
                name="follow_up_has_a_subject",
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(order__isnull=False),
                name="one_follow_up_per_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["region", "due_on"],
                condition=Q(done_at__isnull=True),
                name="follow_up_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"follow-up due {self.due_on}"

    @property
    def method_label(self) -> str:
        return str(FOLLOW_UP_METHOD_LABELS.get(self.method, self.method))


class SampleNumberCounter(models.Model):
    """The last sample number given out on one China day: numbers are
    YP + date + a 5-digit daily sequence, taken under this row's lock."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
