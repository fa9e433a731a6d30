from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceCategory(models.Model):
    """The category tree: the twelve LZ 6.4 categories and their sub-categories."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("At a station or service center")
    BOTH = "both", _("Online or at a station")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ServiceItem(models.Model):
    """A catalog entry and its operation manual (WX 4.1.1).

    The working copy is edited as a draft; publishing snapshots it into a
    ServiceItemVersion, which is what the public sees. Changed only through
    onestop.catalog.services.
    """

    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="items")
    name = models.CharField(_("name"), max_length=100)
    summary = models.CharField(_("summary"), max_length=300)
    conditions = models.TextField(_("acceptance conditions"))
    materials = models.JSONField(_("required materials"), default=list)
    flow = models.JSONField(_("service flow"), default=list)
    time_limit_working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), null=True, blank=True
    )
    fees = models.CharField(_("fees"), max_length=200)
    channel = models.CharField(_("how to apply"), max_length=16, choices=Channel.choices)
    handled_by = models.CharField(_("handled by"), max_length=200)
    clauses = models.JSONField(_("standard clauses"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("published version"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["category__position", "name"]
        indexes = [models.Index(fields=["status", "category"], name="catalog_item_status_idx")]

    def __str__(self) -> str:
        return self.name


class ServiceItemVersion(models.Model):
    """A published manual, kept for good (each publication is a new version)."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="one_item_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} v{self.number}"
