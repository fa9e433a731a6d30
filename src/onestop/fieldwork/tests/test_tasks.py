"""Proxy tasks (WX 5.3 b, HM 4.2.5.2): created for a station, due dates on
the working-day calendar, assigned only to people who work there."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.fieldwork import selectors, services
from onestop.fieldwork.models import ProxyTask, TaskStatus
from onestop.fieldwork.selectors import TaskView
from onestop.fieldwork.tests.conftest import NOW, sh
from onestop.notifications.models import Notification
from onestop.orders.models import OrderStatus

pytestmark = [pytest.mark.clause("WX 5.3b"), pytest.mark.clause("HM 4.2.5.2")]


def _task(world, **fields) -> ProxyTask:
    values = {
        "actor": world.wx_center,
        "order": world.order,
        "station": world.station,
        "title": "代办：联系检测所取样",
    }
    values.update(fields)
    return services.proxy_task_create(**values)


def test_default_due_date_is_three_working_days_away(world):
    # given Wednesday 18 November 2026: Thu, Fri, (weekend), Mon → end of Monday
    task = _task(world)

    assert task.due_at == sh(2026, 11, 24, 0, 0)
    assert task.status == TaskStatus.OPEN
    assert AuditEvent.objects.filter(action="fieldwork.proxy_task_create").count() == 1


def test_station_staff_create_a_task_for_their_station_and_take_it(world):
    task = _task(world, actor=world.staff, assigned_to=world.staff)

    assert task.assigned_to == world.staff
    # no notice to oneself
    assert not Notification.objects.filter(kind="fieldwork.task_assigned").exists()


def test_assigning_notifies_the_assignee(world):
    task = _task(world)

    services.proxy_task_assign(actor=world.wx_center, task=task, assignee=world.staff)

    note = Notification.objects.get(recipient=world.staff, kind="fieldwork.task_assigned")
    assert world.order.number in note.title
    assert note.url == f"/fieldwork/manage/tasks/{task.pk}/"


def test_center_staff_over_the_region_may_be_assigned(world):
    task = _task(world, assigned_to=world.wx_center)

    assert task.assigned_to == world.wx_center


@pytest.mark.parametrize("who", ["staff2", "hm_center", "user", "authority"])
def test_a_person_who_does_not_work_at_the_station_cannot_be_assigned(world, who):
    task = _task(world)

    with pytest.raises(services.NotAssignable) as caught:
        services.proxy_task_assign(actor=world.wx_center, task=task, assignee=getattr(world, who))

    assert caught.value.field == "assigned_to"
    task.refresh_from_db()
    assert task.assigned_to is None
    with pytest.raises(services.NotAssignable):
        _task(world, assigned_to=getattr(world, who))
    assert ProxyTask.objects.count() == 1


def test_staff_of_another_station_or_region_cannot_create(world):
    with pytest.raises(NotAllowed):
        _task(world, actor=world.staff2)  # works next door, not at this station
    with pytest.raises(NotAllowed):
        _task(world, actor=world.hm_center)
    with pytest.raises(NotAllowed):
        _task(world, actor=world.authority)  # oversees orders, does no fieldwork
    assert not ProxyTask.objects.exists()


def test_due_date_in_the_past_and_finished_orders_are_refused(world):
    with pytest.raises(InvalidInput) as caught:
        _task(world, due_at=NOW - dt.timedelta(hours=1))
    assert caught.value.field == "due_at"
    with pytest.raises(InvalidInput):
        _task(world, title="   ")
    world.order.status = OrderStatus.COMPLETED
    world.order.save()
    with pytest.raises(InvalidTransition):
        _task(world)
    assert not ProxyTask.objects.exists()


def test_bulk_assign_gives_all_tasks_to_one_person_or_none(world):
    first, second = _task(world), _task(world, title="代办：寄送证书")
    services.proxy_task_done(actor=world.staff, task=second)

    with pytest.raises(InvalidTransition):
        services.proxy_tasks_assign(
            actor=world.wx_center, tasks=[first, second], assignee=world.staff
        )
    first.refresh_from_db()
    assert first.assigned_to is None  # all or nothing

    third = _task(world, title="代办：领取报告")
    done = services.proxy_tasks_assign(
        actor=world.wx_center, tasks=[first, third], assignee=world.staff
    )
    assert {t.assigned_to_id for t in done} == {world.staff.pk}
    assert Notification.objects.filter(recipient=world.staff).count() == 2


def test_done_and_cancel_close_a_task_once(world):
    task = _task(world)
    services.proxy_task_done(actor=world.staff, task=task, note="已联系")
    with pytest.raises(InvalidTransition):
        services.proxy_task_done(actor=world.staff, task=task)
    with pytest.raises(InvalidTransition):
        services.proxy_task_cancel(actor=world.staff, task=task, reason="不需要")
    other = _task(world)
    with pytest.raises(InvalidInput):
        services.proxy_task_cancel(actor=world.staff, task=other, reason="")
    services.proxy_task_cancel(actor=world.staff, task=other, reason="用户自行办理")
    other.refresh_from_db()
    assert other.status == TaskStatus.CANCELLED
    assert "用户自行办理" in other.note


def test_queues_open_due_soon_overdue_and_mine(world, time_machine):
    soon = _task(world, due_at=sh(2026, 11, 19, 12, 0))  # Thursday noon: due soon
    later = _task(world, assigned_to=world.staff)  # Monday night
    late = _task(world, due_at=sh(2026, 11, 18, 12, 0))  # today noon
    time_machine.move_to(sh(2026, 11, 18, 15, 0))  # now it's overdue

    def ids(view, user=world.staff):
        return [t.pk for t in selectors.task_queue(user=user, view=view)]

    assert ids(TaskView.OPEN) == [late.pk, soon.pk, later.pk]
    assert ids(TaskView.DUE_SOON) == [soon.pk]
    assert ids(TaskView.OVERDUE) == [late.pk]
    assert ids(TaskView.MINE) == [later.pk]
    assert ids(TaskView.OPEN, world.staff2) == []  # another station's staff
    assert ids(TaskView.OPEN, world.hm_center) == []
    assert selectors.task_counts(user=world.staff) == {
        "open": 3,
        "due_soon": 1,
        "overdue": 1,
        "mine": 1,
        "closed": 0,
    }
