from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _responsible(subject: Any) -> list[Any]:
    from onestop.demands.selectors import responsible

    return responsible(subject)


def _attachment_reader(user: Any, document: Any) -> bool:
    """Staff handling a demand, and the institution it is docked with, may read
    the files the requester attached to it (WX 7.2.2.2.2: both sides see what
    they need to talk)."""
    from onestop.accounts import authz
    from onestop.accounts.twofactor import session_is_verified
    from onestop.demands.models import Demand
    from onestop.documents.models import DocumentKind
    from onestop.institutions.selectors import institution_for_user

    if document.kind != DocumentKind.OTHER:
        return False
    demands = list(
        Demand.objects.filter(attachments__document_id=document.pk)
        .select_related("region", "docking__recommendation")
        .distinct()[:5]
    )
    if not demands:
        return False
    if session_is_verified(user) and any(
        authz.has_perm(user, authz.Perm.DEMAND_HANDLE, d.region) for d in demands
    ):
        return True
    institution = institution_for_user(user)
    if institution is None:
        return False
    for demand in demands:
        docking = getattr(demand, "docking", None)
        if docking is not None and docking.recommendation.institution_id == institution.pk:
            return True
    return False


class DemandsConfig(AppConfig):
    name = "onestop.demands"
    verbose_name = _("Demands")

    def ready(self) -> None:
        from onestop.core.sla_watch import register_responsible
        from onestop.demands.models import RECOMMENDATION_CLOCK, RESPONSE_CLOCK
        from onestop.documents.selectors import register_reader

        # Who is warned when a demand's clock is at risk or breached.
        register_responsible(RESPONSE_CLOCK, _responsible)
        register_responsible(RECOMMENDATION_CLOCK, _responsible)
        register_reader(_attachment_reader)
