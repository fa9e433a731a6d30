"""What the staff pages of demands share (WX 7.2.2, HM 4.3.2-4.3.3): the
permission they need, the page size, who may handle or assign a demand,
and a list's filters for its pagination links."""

from __future__ import annotations

from typing import Any

from onestop.accounts import authz
from onestop.core.http import AuthenticatedRequest
from onestop.demands import services
from onestop.demands.models import Demand

PAGE_SIZE = 50
HANDLE = authz.Perm.DEMAND_HANDLE


def user_may_handle(user: Any, demand: Demand) -> bool:
    """Handling needs the permission over the demand's region, and an
    escalated demand is the service center's (HM 4.3.3.2)."""
    if not authz.has_perm(user, HANDLE, demand.region):
        return False
    return demand.escalated_at is None or authz.has_perm(
        user, authz.Perm.ESCALATION_HANDLE, demand.region
    )


def user_may_assign(user: Any, demand: Demand | None = None) -> bool:
    """Handing demands out is the service center's dispatch (HM 4.1.1.1)."""
    return authz.has_perm(user, services.ASSIGN_PERM, demand.region if demand else None)


def query_without_page(request: AuthenticatedRequest) -> str:
    """The filters of a list page, for its pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
