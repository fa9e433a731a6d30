"""Service institutions (WX 7.1.2): an approved enterprise onboarded as a
provider, its qualifications (CMA / CNAS / authorisation certificates) and
what it offers. Changed only through onestop.institutions.services."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    TESTING_LAB = "testing_lab", _("Testing laboratory")
    METROLOGY = "metrology", _("Metrology institute")
    CERTIFICATION = "certification", _("Certification body")
    STANDARDS = "standards", _("Standards or consulting body")
    IP_AGENCY = "ip_agency", _("Intellectual-property agency")
    SPECIAL_EQUIPMENT = "special_equipment", _("Special-equipment inspection body")
    OTHER = "other", _("Other institution")


class InstitutionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    REJECTED = "rejected", _("Not approved")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    EXITED = "exited", _("Exited")


class Institution(models.Model):
    """One onboarded (or applying) service institution; one per enterprise."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="institution",
        verbose_name=_("enterprise"),
    )
    name = models.CharField(_("institution name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=InstitutionKind.choices)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    description = models.TextField(_("introduction"), blank=True)
    address = models.CharField(_("address"), max_length=200)
    service_phone = models.CharField(_("service phone"), max_length=40)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.PENDING,
    )
    agreement_version = models.CharField(_("onboarding agreement version"), max_length=20)
    agreement_accepted_at = models.DateTimeField(_("agreement accepted at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Mean of the enterprises' evaluations (filled by the evaluation module).
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=0)
    rating_count = models.PositiveIntegerField(_("number of ratings"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service institution")
        verbose_name_plural = _("service institutions")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "region"], name="institution_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == InstitutionStatus.ACTIVE


class StatusChange(models.Model):
    """One change of an institution's status, with its reason; the public
    notice of onboarding, suspension and exit (WX 7.1.2)."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=InstitutionStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=InstitutionStatus.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.from_status} → {self.to_status}"


class QualificationKind(models.TextChoices):
    CMA = "CMA", _("CMA (inspection and testing accreditation)")
    CNAS = "CNAS", _("CNAS accreditation")
    AUTHORISATION = "authorisation", _("Authorisation or approval certificate")
    OTHER = "other", _("Other certificate")


class Qualification(models.Model):
    """A certificate that entitles an institution to offer a service."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QualificationKind.choices)
    number = models.CharField(_("certificate number"), max_length=60)
    scope = models.TextField(_("scope"))
    issuer = models.CharField(_("issued by"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    scan = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scan"),
    )
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["valid_to"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="qualification_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_from__lte=F("valid_to")), name="qualification_from_before_to"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


class OfferingStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offering(models.Model):
    """One service an active institution offers, with its public page."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="offerings")
    category = models.ForeignKey(
        "catalog.ServiceCategory",
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("category"),
    )
    service_item = models.ForeignKey(
        "catalog.ServiceItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("catalog service"),
    )
    name = models.CharField(_("name"), max_length=120)
    scope = models.TextField(_("scope (parameters, standards, methods)"))
    qualification = models.ForeignKey(
        Qualification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offerings",
        verbose_name=_("covering qualification"),
    )
    price_min = models.DecimalField(
        _("price from (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_max = models.DecimalField(
        _("price up to (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_note = models.CharField(_("price note"), max_length=200, blank=True)
    turnaround_working_days = models.PositiveSmallIntegerField(_("turnaround (working days)"))
    online = models.BooleanField(_("online"), default=False)
    at_lab = models.BooleanField(_("at the institution"), default=True)
    stations = models.ManyToManyField(
        "stations.Station", blank=True, related_name="offerings", verbose_name=_("stations")
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OfferingStatus.choices,
        default=OfferingStatus.PUBLISHED,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_min__lte=F("price_max")),
                name="offering_price_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name
