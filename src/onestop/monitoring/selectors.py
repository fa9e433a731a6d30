"""Reads: the support queue (system administrators), one's own support
requests, the periodic jobs' last runs and the operating rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.monitoring.models import (
    JobRun,
    OperatingRules,
    SupportEvent,
    SupportRequest,
    SupportStatus,
)


def support_queue() -> QuerySet[SupportRequest]:
    """Every request, open ones first, then answered, then closed; newest first within."""
    rank = Case(
        When(status=SupportStatus.OPEN, then=Value(0)),
        When(status=SupportStatus.ANSWERED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        SupportRequest.objects.select_related("requester", "region")
        .annotate(rank=rank)
        .order_by("rank", "-created_at", "-id")
    )


def support_requests_of(*, user: User) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(requester=user).order_by("-created_at", "-id")


def support_request_get(*, user: User, pk: int) -> SupportRequest:
    """The request, for its requester or a system administrator; anyone else
    gets NotFound, as for an id that does not exist."""
    found = (
        SupportRequest.objects.select_related("requester", "region", "screenshot")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound()
    if found.requester_id != user.pk and not authz.has_perm(user, Perm.SYSTEM_MONITOR):
        raise NotFound()
    return found


def support_events(*, request: SupportRequest) -> QuerySet[SupportEvent]:
    return SupportEvent.objects.filter(request=request).select_related("actor")


def job_runs() -> dict[str, JobRun]:
    return {run.task: run for run in JobRun.objects.all()}


def rules_latest() -> OperatingRules | None:
    return OperatingRules.objects.select_related("editor").first()


def rules_versions(*, limit: int = 20) -> QuerySet[OperatingRules]:
    return OperatingRules.objects.select_related("editor")[:limit]


def screenshot_readable_by(user: Any, document: Any) -> bool:
    """documents reader predicate: a support request's screenshot is read by
    the system administrators, after their second factor (one query)."""
    from onestop.accounts.twofactor import session_is_verified

    if not authz.has_perm(user, Perm.SYSTEM_MONITOR) or not session_is_verified(user):
        return False
    return SupportRequest.objects.filter(screenshot_id=document.pk).exists()
