"""Readable names of SLA clock kinds. A module that starts a new kind adds it here."""

from django.utils.translation import gettext_lazy as _

SLA_KIND_LABELS = {
    "verification_review": _("Verification review (3 working days)"),
    "institution_review": _("Institution onboarding review (3 working days)"),
    "demand_response": _("Response to a demand (1 working day)"),
    "demand_recommendation": _("Recommendation for a demand (3 working days)"),
    "order_acceptance": _("Institution accepts or declines an order (1 working day)"),
    "rectification_callback": _("Call back after a bad review (15 working days)"),
    "complaint_investigation": _("Complaint investigated and forwarded (7 working days)"),
}


def sla_kind_label(kind: str) -> str:
    return str(SLA_KIND_LABELS.get(kind, kind))
