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
