from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.crypto import EncryptedTextField


class ApplicationKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual real-name verification")
    ENTERPRISE = "enterprise", _("Enterprise verification")
    NAME_CHANGE = "name_change", _("Enterprise name change")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Under review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned for completion")


class RejectReason(models.TextChoices):
    SCAN_UNREADABLE = "scan_unreadable", _("A scanned document is unclear or incomplete")
    IDENTITY_MISMATCH = "identity_mismatch", _("The name or ID number does not match the document")
    LICENCE_MISMATCH = "licence_mismatch", _("The details do not match the business licence")
    DOCUMENT_MISSING = "document_missing", _("A required document is missing")
    DOCUMENT_EXPIRED = "document_expired", _("A document has expired")
    PLEDGE_UNSIGNED = "pledge_unsigned", _("The integrity pledge is not signed or sealed")
    OTHER = "other", _("Other (see the note)")


class Application(models.Model):
    """A real-name or enterprise verification, or a name change, under review.

    Status changes only through onestop.verification.services along the
    TRANSITIONS table there; every change writes an ApplicationEvent. Each
    (re)submission is an ApplicationRevision, so the reviewer sees what changed.
    """

    kind = models.CharField(_("type"), max_length=16, choices=ApplicationKind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    late_report = models.BooleanField(_("reported late"), default=False)

    class Meta:
        verbose_name = _("verification application")
        verbose_name_plural = _("verification applications")
        indexes = [models.Index(fields=["status", "submitted_at"], name="verif_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class ApplicationRevision(models.Model):
    """What the applicant submitted one time: fields (encrypted) and documents."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    payload = EncryptedTextField()  # JSON of the submitted fields
    documents = models.ManyToManyField("documents.Document", related_name="+", blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of application {self.application_id}"


class ApplicationEvent(models.Model):
    """One transition: the applicant's timeline and the review record."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reasons = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class Identity(models.Model):
    """A person's verified real name and ID number, kept in the back office only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity"
    )
    real_name = EncryptedTextField(_("real name"))
    id_number = EncryptedTextField(_("ID number"))
    id_index = models.CharField(max_length=64, unique=True)
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"identity of user {self.user_id}"
