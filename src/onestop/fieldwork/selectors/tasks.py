"""Reads of proxy tasks (WX 5.2 b, HM 4.3.2.4): a station's queue by view
(open, due soon, overdue, mine, closed), its counts, and one task."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core import workdays
from onestop.core.errors import NotFound
from onestop.fieldwork.models import ProxyTask, TaskStatus
from onestop.fieldwork.scope import fieldwork_scope
from onestop.orders.models import Order
from onestop.stations.models import Station


class TaskNotFound(NotFound):
    code = "task_not_found"
    default_message = _("No such proxy task.")


class TaskView:
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MINE = "mine"
    CLOSED = "closed"
    ALL = (OPEN, DUE_SOON, OVERDUE, MINE, CLOSED)


def due_soon_limit(now: dt.datetime) -> dt.datetime:
    """ "Due soon" means due by the end of the next working day."""
    return workdays.load_calendar().add_workdays(now, 1)


def _tasks_in_scope(user: Any) -> QuerySet[ProxyTask]:
    scope = fieldwork_scope(user)
    if scope.empty:
        return ProxyTask.objects.none()
    return ProxyTask.objects.filter(scope.q(region="station__region", station="station"))


def _task_filters(user: Any, now: dt.datetime, soon: dt.datetime) -> dict[str, Q]:
    is_open = Q(status=TaskStatus.OPEN)
    return {
        TaskView.OPEN: is_open,
        TaskView.DUE_SOON: is_open & Q(due_at__gte=now, due_at__lt=soon),
        TaskView.OVERDUE: is_open & Q(due_at__lt=now),
        TaskView.MINE: is_open & Q(assigned_to=user),
        TaskView.CLOSED: ~is_open,
    }


def task_queue(
    *,
    user: Any,
    view: str,
    station: Station | None = None,
    now: dt.datetime | None = None,
    soon: dt.datetime | None = None,
) -> QuerySet[ProxyTask]:
    """A station's (or all handled stations') proxy tasks: open, due soon
    (before ``soon``, by default the end of the next working day), overdue
    (against ``now``), assigned to me, or closed."""
    moment = now or timezone.now()
    filters = _task_filters(user, moment, soon or due_soon_limit(moment))
    tasks = _tasks_in_scope(user).filter(filters.get(view, filters[TaskView.OPEN]))
    if station is not None:
        tasks = tasks.filter(station=station)
    order = ["-done_at", "-id"] if view == TaskView.CLOSED else ["due_at", "id"]
    return tasks.select_related("order", "station", "assigned_to").order_by(*order)


def task_counts(
    *,
    user: Any,
    station: Station | None = None,
    now: dt.datetime | None = None,
    soon: dt.datetime | None = None,
) -> dict[str, int]:
    """How many tasks each view holds, in one query."""
    moment = now or timezone.now()
    filters = _task_filters(user, moment, soon or due_soon_limit(moment))
    tasks = _tasks_in_scope(user)
    if station is not None:
        tasks = tasks.filter(station=station)
    return tasks.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})


def task_for_staff(*, user: Any, task_id: int) -> ProxyTask:
    task = (
        _tasks_in_scope(user)
        .select_related(
            "order__user",
            "order__institution",
            "order__offering",
            "station__region",
            "assigned_to",
            "created_by",
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise TaskNotFound()
    return task


def tasks_for_staff(*, user: Any, task_ids: list[int]) -> list[ProxyTask]:
    """The tasks among ``task_ids`` the user handles (bulk actions); any
    other id makes the whole lot not found."""
    tasks = list(
        _tasks_in_scope(user).select_related("station__region", "order").filter(pk__in=task_ids)
    )
    if len(tasks) != len(set(task_ids)):
        raise TaskNotFound()
    return tasks


def tasks_of_order(order: Order) -> list[ProxyTask]:
    return list(order.proxy_tasks.select_related("station", "assigned_to").order_by("due_at"))
