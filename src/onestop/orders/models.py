"""Orders (WX App. A, HM 4.3.4): a user orders an institution's offering,
directly (self-matching) or from an accepted recommendation. One explicit
state machine (onestop.orders.rules), every transition an OrderEvent row;
messages and attachments on the order. Changed only through
onestop.orders.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting the institution")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the institution")
    IN_SERVICE = "in_service", _("In service")
    WAITING_USER = "waiting_user", _("Waiting for the user")
    DELIVERED = "delivered", _("Delivered, awaiting confirmation")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# Clock kind: the institution accepts or declines within 1 working day.
ACCEPTANCE_CLOCK = "order_acceptance"

# Statuses in which an order still needs someone to act.
OPEN_STATUSES = (
    OrderStatus.SUBMITTED,
    OrderStatus.ACCEPTED,
    OrderStatus.IN_SERVICE,
    OrderStatus.WAITING_USER,
    OrderStatus.DELIVERED,
)


class Order(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("ordered by"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("for the enterprise"),
    )
    offering = models.ForeignKey(
        "institutions.Offering",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("offering"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("institution"),
    )
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    recommendation = models.ForeignKey(
        "demands.Recommendation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    # Staff of this region see the order (the user's region).
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED
    )
    description = models.TextField(_("what is needed"))
    contact_name = models.CharField(_("contact person"), max_length=50)
    price = models.DecimalField(
        _("agreed price (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    expected_completion = models.DateField(_("expected completion"), null=True, blank=True)
    # Handled on the user's behalf by a station or the center (WX 5.3 b).
    proxy_station = models.ForeignKey(
        "stations.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxy_orders",
        verbose_name=_("handled on the user's behalf by"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    created_at = models.DateTimeField(_("ordered at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The user's own list, newest first.
            models.Index(fields=["user", "-created_at", "-id"], name="order_user_idx"),
            # Staff queues: by region (path prefix via the FK) and status.
            models.Index(fields=["region", "status", "-created_at"], name="order_region_idx"),
            models.Index(fields=["institution", "status", "-created_at"], name="order_inst_idx"),
            # The staff queue's first page, newest first, whatever the region
            # scope (bench/orders.py: the scope filter is checked row by row
            # along this index and stops after one page).
            models.Index(fields=["-created_at", "-id"], name="order_newest_idx"),
            # The same, one status at a time (the queue's usual filter).
            models.Index(fields=["status", "-created_at", "-id"], name="order_status_newest_idx"),
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(escalated_at__isnull=False),
                name="order_escalated_idx",
            ),
        ]

    def __str__(self) -> str:
        # Number and what was ordered: how clocks, notices and the audit name it.
        return f"{self.number} {self.offering.name}"

    def get_absolute_url(self) -> str:
        """The user's page of the order."""
        return reverse("orders:detail", kwargs={"number": self.number})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def institution_url(self) -> str:
        return reverse("orders:institution_detail", kwargs={"number": self.number})

    @property
    def responsible_url(self) -> str:
        """Where the people responsible for its clock (the institution's) act."""
        return self.institution_url

    @property
    def staff_url(self) -> str:
        """The workbench page of the order (SLA notices link here)."""
        return reverse("orders:manage_detail", kwargs={"number": self.number})


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Status changed")
    ESCALATED = "escalated", _("Escalated to the service center")
    PROXY = "proxy", _("Proxy handling changed")


class Party(models.TextChoices):
    """On whose side the actor of an event stood (onestop.orders.rules)."""

    USER = "user", _("Orderer")
    INSTITUTION = "institution", _("Institution")
    PROXY = "proxy", _("Station, on the user's behalf")
    CENTER = "center", _("Service center")
    STAFF = "staff", _("Platform staff")
    SYSTEM = "system", _("System")


class OrderEvent(models.Model):
    """One transition (or a note-worthy step) of an order: the timeline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=OrderStatus.choices, blank=True)
    note = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.TRANSITION)
    party = models.CharField(max_length=16, choices=Party.choices, default=Party.SYSTEM)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class OrderNumberCounter(models.Model):
    """The last sequence number given out on one (China) day: DD + date + 5 digits.

    Incremented by one INSERT … ON CONFLICT DO UPDATE … RETURNING statement
    (onestop.orders.services.placing), so two orders placed at once never
    share a number and a rolled-back order does not leave a row behind.
    """

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class OrderMessage(models.Model):
    """A message on the order between the user, the institution and staff."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message on {self.order_id}"


class AttachmentKind(models.TextChoices):
    REPORT = "report", _("Report")
    QUOTE = "quote", _("Quote")
    OTHER = "other", _("Other")


class OrderAttachment(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "document"], name="order_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.order_id}"
