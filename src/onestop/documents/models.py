import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What a document is for. Modules add kinds here as they need them."""

    ID_CARD = "id_card", _("ID card")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    QUALIFICATION_CERTIFICATE = "qualification_certificate", _("Qualification certificate")
    INTEGRITY_PLEDGE = "integrity_pledge", _("Integrity pledge")
    OTHER = "other", _("Other document")


class MediaType(models.TextChoices):
    """The only types stored, decided from the content (documents.inspection)."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"

    @property
    def extension(self) -> str:
        return {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[self.value]


class Document(models.Model):
    """A private upload: ID-card scans, licences, certificates, pledges, reports.

    The file lives under ``PRIVATE_MEDIA_ROOT`` with a random ``storage_name``
    and is only ever served by ``documents:download`` after
    ``selectors.document_get_for``. URLs carry ``public_id`` so ids cannot be
    enumerated. Create and remove only through ``documents.services``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    content_type = models.CharField(_("file type"), max_length=40, choices=MediaType.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, editable=False)
    storage_name = models.CharField(max_length=100, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        # The daily upload quota counts one owner's rows since midnight.
        indexes = [models.Index(fields=["owner", "created_at"], name="document_owner_day_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("documents:download", kwargs={"public_id": self.public_id})

    @property
    def media_type(self) -> MediaType:
        return MediaType(self.content_type)

    @property
    def download_name(self) -> str:
        """The name offered to the browser: the sanitised upload name, or the kind."""
        return self.original_name or f"{self.kind}.{self.media_type.extension}"
