"""Reads of the audit trail, limited to the regions the reader may audit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.models import AuditEvent
from onestop.core.workdays import end_of_day, start_of_day
from onestop.regions.models import Region


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor: str = ""
    region: Region | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def audit_event_list(*, user: User, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events the user may see (their audit regions; everything for admins).

    Events with no region (system actions) are visible only to readers whose
    scope is the whole installation.
    """
    scope = authz.region_scope(user, authz.Perm.AUDIT_VIEW)
    events = scope.filter(AuditEvent.objects.select_related("region"), "region")
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.region is not None:
        events = events.filter(region__path__startswith=filters.region.path)
    if filters.date_from:
        events = events.filter(created_at__gte=start_of_day(filters.date_from))
    if filters.date_to:
        events = events.filter(created_at__lt=end_of_day(filters.date_to))
    return events.order_by("-seq")
