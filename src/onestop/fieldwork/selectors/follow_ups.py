"""Reads of follow-up visits after a service: the queue by view (today,
overdue, upcoming, done), its counts, and one follow-up."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import NotFound
from onestop.fieldwork.models import FollowUp
from onestop.fieldwork.scope import fieldwork_scope


class FollowUpNotFound(NotFound):
    code = "follow_up_not_found"
    default_message = _("No such follow-up.")


class FollowUpView:
    TODAY = "today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    DONE = "done"
    ALL = (TODAY, OVERDUE, UPCOMING, DONE)


def _follow_ups_in_scope(user: Any) -> QuerySet[FollowUp]:
    scope = fieldwork_scope(user)
    if scope.empty:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(scope.q(region="region", station="station"))


def _follow_up_filters(today: dt.date) -> dict[str, Q]:
    pending = Q(done_at__isnull=True)
    return {
        FollowUpView.TODAY: pending & Q(due_on=today),
        FollowUpView.OVERDUE: pending & Q(due_on__lt=today),
        FollowUpView.UPCOMING: pending & Q(due_on__gt=today),
        FollowUpView.DONE: ~pending,
    }


def _station_filter(follow_ups: QuerySet[FollowUp], station: str) -> QuerySet[FollowUp]:
    """``station`` is a station id, "center" for the center's own, or "" for all."""
    if station == "center":
        return follow_ups.filter(station__isnull=True)
    if station.isdigit():
        return follow_ups.filter(station_id=int(station))
    return follow_ups


def follow_up_queue(
    *, user: Any, view: str, station: str = "", today: dt.date | None = None
) -> QuerySet[FollowUp]:
    day = today or timezone.localdate()
    filters = _follow_up_filters(day)
    follow_ups = _station_filter(_follow_ups_in_scope(user), station).filter(
        filters.get(view, filters[FollowUpView.TODAY])
    )
    order = ["-done_at", "-id"] if view == FollowUpView.DONE else ["due_on", "id"]
    return follow_ups.select_related(
        "order__user", "demand", "station", "region", "assigned_to"
    ).order_by(*order)


def follow_up_counts(
    *, user: Any, station: str = "", today: dt.date | None = None
) -> dict[str, int]:
    day = today or timezone.localdate()
    follow_ups = _station_filter(_follow_ups_in_scope(user), station)
    return follow_ups.aggregate(
        **{name: Count("pk", filter=q) for name, q in _follow_up_filters(day).items()}
    )


def follow_up_for_staff(*, user: Any, follow_up_id: int) -> FollowUp:
    follow_up = (
        _follow_ups_in_scope(user)
        .select_related(
            "order__user",
            "order__institution",
            "order__offering__category",
            "demand__category",
            "station",
            "region",
            "assigned_to",
            "done_by",
            "new_demand",
        )
        .filter(pk=follow_up_id)
        .first()
    )
    if follow_up is None:
        raise FollowUpNotFound()
    return follow_up
