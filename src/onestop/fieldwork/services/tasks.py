"""Proxy handling (WX 5.3 b, HM 4.2.5.2, HM 4.2.4.3): a station or the
service center does part of an order on the user's behalf; each piece of
work is a ProxyTask with its own due date, assigned to a person who works at
that station (or to center staff)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.fieldwork.models import ProxyTask, TaskStatus
from onestop.fieldwork.rules import ORDER_STATUSES_FOR_TASKS, PROXY_TASK_WORKING_DAYS
from onestop.fieldwork.scope import PERM, require_station
from onestop.fieldwork.services._common import text
from onestop.notifications.services import notify
from onestop.orders.models import Order
from onestop.stations.models import Station, StationStatus


class NotAssignable(InvalidInput):
    code = "not_assignable"
    default_message = _(
        "%(name)s does not work at this station: choose one of its staff or service-center staff."
    )


def can_be_assigned(person: User, station: Station) -> bool:
    """Station staff of this very station, or center staff over its region."""
    if authz.holders(Role.STATION_STAFF, station).filter(pk=person.pk).exists():
        return True
    return authz.holders_over(Role.CENTER_STAFF, station.region).filter(pk=person.pk).exists()


def _check_assignee(person: User | None, station: Station) -> None:
    if person is not None and not can_be_assigned(person, station):
        raise NotAssignable(field="assigned_to", name=str(person))


def default_due_at(now: dt.datetime | None = None) -> dt.datetime:
    """End of the PROXY_TASK_WORKING_DAYS-th working day from now."""
    return workdays.load_calendar().add_workdays(now or timezone.now(), PROXY_TASK_WORKING_DAYS)


def _lock(task: ProxyTask) -> ProxyTask:
    return (
        ProxyTask.objects.select_for_update(no_key=True, of=("self",))
        .select_related("station__region", "order", "assigned_to")
        .get(pk=task.pk)
    )


def _tell_assignee(task: ProxyTask, actor: User) -> None:
    if task.assigned_to is None or task.assigned_to_id == actor.pk:
        return
    due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=[task.assigned_to],
        kind="fieldwork.task_assigned",
        title=gettext("Proxy task for order %(number)s: %(title)s")
        % {"number": task.order.number, "title": task.title},
        body=gettext("Assigned to you by %(who)s; due %(due)s.") % {"who": actor, "due": due},
        url=reverse("fieldwork:task", args=[task.pk]),
    )


@transaction.atomic
def proxy_task_create(
    *,
    actor: User,
    order: Order,
    station: Station,
    title: str,
    due_at: dt.datetime | None = None,
    assigned_to: User | None = None,
    note: str = "",
) -> ProxyTask:
    """Open a task a station does for an order on the user's behalf (WX 5.3 b).

    Needs FIELDWORK_HANDLE over the order's region and over the station.
    Without a due date it is due PROXY_TASK_WORKING_DAYS working days from now.
    """
    authz.require(actor, PERM, order.region)
    require_station(actor, station)
    if station.status != StationStatus.ACTIVE:
        raise InvalidInput(_("This station is closed."), field="station")
    if order.status not in ORDER_STATUSES_FOR_TASKS:
        raise InvalidTransition(
            _("Order %(number)s is “%(status)s”; it takes no new tasks."),
            number=order.number,
            status=order.get_status_display(),
        )
    title = text(title, field="title", max_length=200)
    note = text(note, field="note", max_length=2000, required=False)
    now = timezone.now()
    due = due_at if due_at is not None else default_due_at(now)
    if due <= now:
        raise InvalidInput(_("The due date must be in the future."), field="due_at")
    _check_assignee(assigned_to, station)
    task = ProxyTask.objects.create(
        order=order,
        station=station,
        assigned_to=assigned_to,
        title=title,
        due_at=due,
        note=note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="fieldwork.proxy_task_create",
        obj=task,
        region=station.region,
        changes={
            "order": order.number,
            "station": station.pk,
            "title": title,
            "due_at": due.isoformat(),
            "assigned_to": assigned_to.pk if assigned_to else None,
        },
    )
    _tell_assignee(task, actor)
    return task


def _assign(actor: User, task: ProxyTask, assignee: User) -> ProxyTask:
    locked = _lock(task)
    require_station(actor, locked.station)
    if locked.status != TaskStatus.OPEN:
        raise InvalidTransition(_("Only an open task can be assigned."))
    _check_assignee(assignee, locked.station)
    before = locked.assigned_to_id
    if before == assignee.pk:
        return locked
    locked.assigned_to = assignee
    locked.save(update_fields=["assigned_to"])
    audit_record(
        actor=actor,
        action="fieldwork.proxy_task_assign",
        obj=locked,
        region=locked.station.region,
        changes={"assigned_to": [before, assignee.pk]},
    )
    _tell_assignee(locked, actor)
    return locked


@transaction.atomic
def proxy_task_assign(*, actor: User, task: ProxyTask, assignee: User) -> ProxyTask:
    """Give an open task to a person working at its station (or center staff)."""
    return _assign(actor, task, assignee)


@transaction.atomic
def proxy_tasks_assign(
    *, actor: User, tasks: Sequence[ProxyTask], assignee: User
) -> list[ProxyTask]:
    """Bulk assign: all the tasks to one person, or none of them (one refusal
    refuses the lot, naming the task)."""
    if not tasks:
        raise InvalidInput(_("Choose at least one task."), field="tasks")
    done = []
    for task in sorted(tasks, key=lambda t: t.pk):  # one lock order: no deadlock
        done.append(_assign(actor, task, assignee))
    return done


@transaction.atomic
def proxy_task_done(*, actor: User, task: ProxyTask, note: str = "") -> ProxyTask:
    """Record that the work was done (by anyone handling the station)."""
    locked = _lock(task)
    require_station(actor, locked.station)
    if locked.status != TaskStatus.OPEN:
        raise InvalidTransition(_("This task is no longer open."))
    note = text(note, field="note", max_length=2000, required=False)
    locked.status = TaskStatus.DONE
    locked.done_at = timezone.now()
    if note:
        locked.note = f"{locked.note}\n{note}".strip()
    locked.save(update_fields=["status", "done_at", "note"])
    audit_record(
        actor=actor,
        action="fieldwork.proxy_task_done",
        obj=locked,
        region=locked.station.region,
        changes={"status": [TaskStatus.OPEN, TaskStatus.DONE], "note": note[:200]},
    )
    return locked


@transaction.atomic
def proxy_task_cancel(*, actor: User, task: ProxyTask, reason: str) -> ProxyTask:
    """Drop a task that is no longer needed; the reason is kept in its note."""
    locked = _lock(task)
    require_station(actor, locked.station)
    if locked.status != TaskStatus.OPEN:
        raise InvalidTransition(_("This task is no longer open."))
    reason = text(reason, field="reason", max_length=500)
    locked.status = TaskStatus.CANCELLED
    locked.done_at = timezone.now()
    locked.note = f"{locked.note}\n{reason}".strip()
    locked.save(update_fields=["status", "done_at", "note"])
    audit_record(
        actor=actor,
        action="fieldwork.proxy_task_cancel",
        obj=locked,
        region=locked.station.region,
        changes={"status": [TaskStatus.OPEN, TaskStatus.CANCELLED], "reason": reason[:200]},
    )
    return locked
