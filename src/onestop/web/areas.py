"""The service areas the home page introduces (until the catalog app owns them)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ServiceArea:
    title: str | Promise
    summary: str | Promise
    category: str  # the catalog category it opens (onestop.catalog)


SERVICE_AREAS = (
    ServiceArea(
        _("Metrology"),
        _("Verification and calibration, instrument ledgers, e-certificates."),
        "metrology",
    ),
    ServiceArea(
        _("Standardization"),
        _("Standard information and validity, self-declaration guidance."),
        "standardization",
    ),
    ServiceArea(
        _("Certification and accreditation"),
        _("Certification bodies and their scope, certification guidance."),
        "certification",
    ),
    ServiceArea(
        _("Inspection and testing"),
        _("Qualified testing institutions, report verification."),
        "testing",
    ),
    ServiceArea(
        _("Quality management"),
        _("Quality diagnosis, improvement and training."),
        "quality_management",
    ),
    ServiceArea(
        _("Special equipment"),
        _("Registration, inspection applications and reminders."),
        "special_equipment",
    ),
    ServiceArea(_("Intellectual property"), _("Trademarks, patents and rights protection."), "ip"),
    ServiceArea(_("Brand building"), _("Quality awards and brand cultivation."), "brand"),
)
