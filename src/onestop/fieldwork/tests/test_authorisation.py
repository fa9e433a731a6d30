"""Every fieldwork URL refuses those it is not for: anonymous visitors are
sent to log in, people without the permission get 403, staff of another
station or region, another institution and another user get 404 for ids
that are not theirs — and nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from onestop.fieldwork import services
from onestop.fieldwork.models import (
    Appointment,
    FollowUp,
    FollowUpMethod,
    ProxyTask,
    Sample,
    Slot,
    SlotPurpose,
)
from onestop.fieldwork.tests.conftest import png, sh


@dataclass
class Things:
    task: ProxyTask
    at_station: Sample
    in_transit: Sample
    ready: Sample
    free_slot: Slot
    booking: Appointment
    inst_free_slot: Slot
    inst_booking: Appointment
    follow_up: FollowUp


def _sample(world) -> Sample:
    return services.sample_receive(
        actor=world.staff,
        station=world.station,
        order=world.order,
        description="压力表",
        quantity="1 只",
        condition="完好",
    )


def _slot(world, hour: int, **place: Any) -> Slot:
    start = sh(2026, 11, 19, hour, 0)
    actor = place.pop("actor", world.staff)
    return services.slot_create(
        actor=actor,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        purpose=SlotPurpose.VISIT,
        **(place or {"station": world.station}),
    )


@pytest.fixture
def things(world) -> Things:
    at_station = _sample(world)
    in_transit = _sample(world)
    services.sample_send(actor=world.staff, sample=in_transit, carrier="顺丰", tracking_number="1")
    ready = _sample(world)
    services.sample_send(actor=world.staff, sample=ready, carrier="顺丰", tracking_number="2")
    services.sample_confirm_receipt(actor=world.inst_person, sample=ready)
    services.sample_report_upload(actor=world.inst_person, sample=ready, report=png())
    inst = {"institution": world.institution, "actor": world.inst_person}
    world.order.proxy_station = world.station
    world.order.save()
    return Things(
        task=services.proxy_task_create(
            actor=world.wx_center, order=world.order, station=world.station, title="代办"
        ),
        at_station=at_station,
        in_transit=in_transit,
        ready=ready,
        free_slot=_slot(world, 9),
        booking=services.appointment_book(user=world.user, slot=_slot(world, 10)),
        inst_free_slot=_slot(world, 11, **inst),
        inst_booking=services.appointment_book(user=world.user, slot=_slot(world, 14, **inst)),
        follow_up=services.follow_up_schedule(order=world.order),
    )


def snapshot() -> tuple[Any, ...]:
    return (
        list(ProxyTask.objects.order_by("pk").values_list("pk", "status", "assigned_to_id")),
        list(
            Sample.objects.order_by("pk").values_list("pk", "status", "carrier", "pickup_failures")
        ),
        list(Appointment.objects.order_by("pk").values_list("pk", "cancelled_at")),
        list(Slot.objects.order_by("pk").values_list("pk", flat=True)),
        list(FollowUp.objects.order_by("pk").values_list("pk", "done_at")),
    )


# (name, method, url, data, who it is for, what an outsider of that kind gets)
def _urls(t: Things, world) -> list[tuple[str, str, str, dict[str, Any], str, int]]:
    station = world.station.pk
    return [
        # workbench
        ("tasks", "get", "/fieldwork/manage/tasks/", {}, "staff", 200),
        ("task_new", "get", "/fieldwork/manage/tasks/new/", {}, "staff", 200),
        (
            "task_new_post",
            "post",
            "/fieldwork/manage/tasks/new/",
            {"order": world.order.number, "station": station, "title": "代办"},
            "staff",
            400,
        ),
        (
            "tasks_assign",
            "post",
            "/fieldwork/manage/tasks/assign/",
            {"station": station, "tasks": [t.task.pk], "assignee": world.staff.pk},
            "staff",
            404,
        ),
        ("task", "get", f"/fieldwork/manage/tasks/{t.task.pk}/", {}, "staff", 404),
        (
            "task_assign",
            "post",
            f"/fieldwork/manage/tasks/{t.task.pk}/assign/",
            {"assignee": world.staff.pk},
            "staff",
            404,
        ),
        ("task_done", "post", f"/fieldwork/manage/tasks/{t.task.pk}/done/", {}, "staff", 404),
        (
            "task_cancel",
            "post",
            f"/fieldwork/manage/tasks/{t.task.pk}/cancel/",
            {"reason": "x"},
            "staff",
            404,
        ),
        ("samples", "get", "/fieldwork/manage/samples/", {}, "staff", 200),
        ("sample_new", "get", "/fieldwork/manage/samples/new/", {}, "staff", 200),
        (
            "sample_new_post",
            "post",
            "/fieldwork/manage/samples/new/",
            {
                "station": station,
                "order": world.order.number,
                "description": "x",
                "quantity": "1",
                "condition": "x",
            },
            "staff",
            400,
        ),
        ("sample", "get", f"/fieldwork/manage/samples/{t.at_station.pk}/", {}, "staff", 404),
        (
            "sample_send",
            "post",
            f"/fieldwork/manage/samples/{t.at_station.pk}/send/",
            {"carrier": "顺丰", "tracking_number": "9"},
            "staff",
            404,
        ),
        (
            "sample_hand_out",
            "post",
            f"/fieldwork/manage/samples/{t.ready.pk}/hand-out/",
            {"code": "123456"},
            "staff",
            404,
        ),
        ("slots", "get", f"/fieldwork/manage/slots/?station={station}", {}, "staff", 200),
        ("slots_new", "get", "/fieldwork/manage/slots/new/", {}, "staff", 200),
        (
            "slot_delete",
            "post",
            f"/fieldwork/manage/slots/{t.free_slot.pk}/delete/",
            {},
            "staff",
            404,
        ),
        (
            "staff_appointment_cancel",
            "post",
            f"/fieldwork/manage/appointments/{t.booking.pk}/cancel/",
            {},
            "staff",
            404,
        ),
        ("follow_ups", "get", "/fieldwork/manage/follow-ups/", {}, "staff", 200),
        (
            "follow_up",
            "get",
            f"/fieldwork/manage/follow-ups/{t.follow_up.pk}/",
            {},
            "staff",
            404,
        ),
        (
            "follow_up_post",
            "post",
            f"/fieldwork/manage/follow-ups/{t.follow_up.pk}/",
            {"method": FollowUpMethod.PHONE, "content": "回访"},
            "staff",
            404,
        ),
        # the institution's people
        ("inst_samples", "get", "/fieldwork/institution/samples/", {}, "institution", 200),
        (
            "inst_sample",
            "get",
            f"/fieldwork/institution/samples/{t.in_transit.pk}/",
            {},
            "institution",
            404,
        ),
        (
            "inst_sample_confirm",
            "post",
            f"/fieldwork/institution/samples/{t.in_transit.pk}/confirm/",
            {},
            "institution",
            404,
        ),
        (
            "inst_sample_reject",
            "post",
            f"/fieldwork/institution/samples/{t.in_transit.pk}/reject/",
            {"reason": "不合格"},
            "institution",
            404,
        ),
        (
            "inst_sample_report",
            "post",
            f"/fieldwork/institution/samples/{t.in_transit.pk}/report/",
            {},
            "institution",
            404,
        ),
        ("inst_slots", "get", "/fieldwork/institution/slots/", {}, "institution", 200),
        ("inst_slots_new", "get", "/fieldwork/institution/slots/new/", {}, "institution", 200),
        (
            "inst_slot_delete",
            "post",
            f"/fieldwork/institution/slots/{t.inst_free_slot.pk}/delete/",
            {},
            "institution",
            404,
        ),
        (
            "inst_appointment_cancel",
            "post",
            f"/fieldwork/institution/appointments/{t.inst_booking.pk}/cancel/",
            {},
            "institution",
            404,
        ),
        # the user's own
        ("my_appointments", "get", "/fieldwork/appointments/", {}, "user", 200),
        (
            "appointment_cancel",
            "post",
            f"/fieldwork/appointments/{t.booking.pk}/cancel/",
            {},
            "user",
            404,
        ),
        ("my_samples", "get", "/fieldwork/samples/", {}, "user", 200),
        ("my_sample", "get", f"/fieldwork/samples/{t.ready.pk}/", {}, "user", 404),
        (
            "my_sample_new_code",
            "post",
            f"/fieldwork/samples/{t.ready.pk}/new-code/",
            {},
            "user",
            404,
        ),
        ("book", "get", f"/fieldwork/slots/{t.free_slot.pk}/book/", {}, "login", 200),
    ]


URL_NAMES = [
    "tasks",
    "task_new",
    "task_new_post",
    "tasks_assign",
    "task",
    "task_assign",
    "task_done",
    "task_cancel",
    "samples",
    "sample_new",
    "sample_new_post",
    "sample",
    "sample_send",
    "sample_hand_out",
    "slots",
    "slots_new",
    "slot_delete",
    "staff_appointment_cancel",
    "follow_ups",
    "follow_up",
    "follow_up_post",
    "inst_samples",
    "inst_sample",
    "inst_sample_confirm",
    "inst_sample_reject",
    "inst_sample_report",
    "inst_slots",
    "inst_slots_new",
    "inst_slot_delete",
    "inst_appointment_cancel",
    "my_appointments",
    "appointment_cancel",
    "my_samples",
    "my_sample",
    "my_sample_new_code",
    "book",
]


def _entry(things, world, name):
    return next(e for e in _urls(things, world) if e[0] == name)


def _call(client: Client, method: str, url: str, data: dict[str, Any]):
    return getattr(client, method)(url, data)


def test_every_url_is_in_the_table(things, world):
    from django.urls import get_resolver

    named = {
        p.name
        for p in get_resolver("onestop.fieldwork.urls").url_patterns
        if getattr(p, "name", None)
    }
    covered = {e[2].split("?")[0] for e in _urls(things, world)}
    from django.urls import resolve

    resolved = {resolve(url).url_name for url in covered}
    public = {"station_slots", "institution_slots"}  # tested in test_public_pages_need_no_login
    assert named - public == resolved


@pytest.mark.parametrize("name", URL_NAMES)
def test_anonymous_visitors_are_sent_to_log_in(client, things, world, name):
    _, method, url, data, kind, _ = _entry(things, world, name)
    before = snapshot()

    response = _call(client, method, url, data)

    assert response.status_code == 302
    login = "/workbench/login/" if kind == "staff" else "/accounts/login/"
    assert response["Location"].startswith(login)
    assert snapshot() == before


@pytest.mark.parametrize(
    "name", [n for n in URL_NAMES if not n.startswith(("inst_", "my_", "appointment_", "book"))]
)
@pytest.mark.parametrize("who", ["user", "authority", "inst_person"])
def test_workbench_urls_refuse_people_without_the_permission(
    client, otp_login, things, world, name, who
):
    _, method, url, data, _, _ = _entry(things, world, name)
    person = getattr(world, who)
    if who == "authority":
        otp_login(person)
    else:
        client.force_login(person)
    before = snapshot()

    assert _call(client, method, url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize(
    "name", [n for n in URL_NAMES if not n.startswith(("inst_", "my_", "appointment_", "book"))]
)
@pytest.mark.parametrize("who", ["staff2", "hm_center"])
def test_workbench_urls_give_staff_of_another_station_or_region_nothing(
    client, otp_login, things, world, name, who
):
    _, method, url, data, _, outsider = _entry(things, world, name)
    otp_login(getattr(world, who))
    before = snapshot()

    response = _call(client, method, url, data)

    assert response.status_code == outsider
    assert snapshot() == before
    if response.status_code == 200:  # lists: none of this station's rows
        body = response.content.decode()
        assert things.at_station.number not in body
        assert world.order.number not in body


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n.startswith("inst_")])
def test_institution_urls_refuse_people_of_no_institution(client, things, world, name):
    _, method, url, data, _, _ = _entry(things, world, name)
    client.force_login(world.user)
    before = snapshot()

    assert _call(client, method, url, data).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n.startswith("inst_")])
def test_institution_urls_give_another_institution_nothing(client, things, world, name):
    _, method, url, data, _, outsider = _entry(things, world, name)
    client.force_login(world.other_inst_person)
    before = snapshot()

    response = _call(client, method, url, data)

    assert response.status_code == outsider
    assert snapshot() == before
    if response.status_code == 200:
        assert things.in_transit.number not in response.content.decode()


@pytest.mark.parametrize("name", [n for n in URL_NAMES if n.startswith(("my_", "appointment_"))])
def test_user_urls_give_another_user_nothing(client, things, world, name):
    _, method, url, data, _, outsider = _entry(things, world, name)
    client.force_login(world.other_user)
    before = snapshot()

    response = _call(client, method, url, data)

    assert response.status_code == outsider
    assert snapshot() == before
    if response.status_code == 200:
        assert things.ready.number not in response.content.decode()


def test_the_allowed_people_get_through(client, otp_login, things, world):
    """The same table, with the right person: no 403/404 (the other tests
    above would pass for a URL that refused everybody)."""
    people = {"staff": world.staff, "institution": world.inst_person, "user": world.user}
    for name, method, url, data, kind, _ in _urls(things, world):
        if method != "get":
            continue
        person = people.get(kind, world.user)
        if kind == "staff":
            otp_login(person)
        else:
            client.force_login(person)
        assert _call(client, method, url, data).status_code == 200, name


def test_public_pages_need_no_login(client, things, world):
    assert client.get(f"/fieldwork/slots/station/{world.station.pk}/").status_code == 200
    institution = f"/fieldwork/slots/institution/{world.institution.pk}/"
    assert client.get(institution).status_code == 200
    world.station.status = "closed"
    world.station.save()
    assert client.get(f"/fieldwork/slots/station/{world.station.pk}/").status_code == 404
    assert client.get("/fieldwork/slots/station/999999/").status_code == 404
