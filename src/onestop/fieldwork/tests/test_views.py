"""The fieldwork pages through HTTP: each step one click from the queue,
errors shown in context, lists and details in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from onestop.fieldwork import services
from onestop.fieldwork.models import (
    Appointment,
    FollowUp,
    FollowUpMethod,
    ProxyTask,
    Sample,
    SampleStatus,
    Slot,
    SlotPurpose,
    TaskStatus,
)
from onestop.fieldwork.tests.conftest import last_code, make_order, png, sh


def _receive(world, order=None) -> Sample:
    return services.sample_receive(
        actor=world.staff,
        station=world.station,
        order=order or world.order,
        description="一般压力表",
        quantity="5 只",
        condition="完好",
    )


def _slot(world, start, **fields) -> Slot:
    return services.slot_create(
        actor=fields.pop("actor", world.staff),
        station=fields.pop("station", world.station),
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        purpose=SlotPurpose.SAMPLE_DROP_OFF,
        **fields,
    )


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


# --- proxy tasks ------------------------------------------------------------------------------


@pytest.mark.clause("WX 5.3b")
def test_staff_create_assign_and_finish_a_task_through_the_pages(client, otp_login, world):
    otp_login(world.wx_center)

    page = client.get(f"/fieldwork/manage/tasks/new/?station={world.station.pk}")
    assert page.status_code == 200
    assert world.staff.display_name in page.content.decode()  # offered as assignee
    created = client.post(
        "/fieldwork/manage/tasks/new/",
        {
            "order": world.order.number.lower(),
            "station": world.station.pk,
            "title": "代办：领取证书并邮寄",
            "due_on": "2026-11-20",
            "assigned_to": world.staff.pk,
        },
    )
    task = ProxyTask.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/fieldwork/manage/tasks/{task.pk}/"
    assert task.assigned_to == world.staff
    assert task.due_at == sh(2026, 11, 21, 0, 0)

    done = client.post(f"/fieldwork/manage/tasks/{task.pk}/done/", {"note": "已寄出"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_task_form_errors_stay_on_the_page(client, otp_login, world):
    otp_login(world.wx_center)
    unknown = client.post(
        "/fieldwork/manage/tasks/new/",
        {"order": "DD000", "station": world.station.pk, "title": "代办"},
    )
    past = client.post(
        "/fieldwork/manage/tasks/new/",
        {
            "order": world.order.number,
            "station": world.station.pk,
            "title": "代办",
            "due_on": "2026-11-01",
        },
    )
    assert unknown.status_code == 400
    assert 'id="id_order"' in unknown.content.decode()
    assert past.status_code == 400
    assert not ProxyTask.objects.exists()


def test_assigning_to_someone_outside_the_station_is_refused_on_the_page(client, otp_login, world):
    task = services.proxy_task_create(
        actor=world.wx_center, order=world.order, station=world.station, title="代办"
    )
    otp_login(world.wx_center)

    response = client.post(
        f"/fieldwork/manage/tasks/{task.pk}/assign/", {"assignee": world.staff2.pk}
    )

    assert response.status_code == 400
    task.refresh_from_db()
    assert task.assigned_to is None


def test_bulk_assign_from_the_queue(client, otp_login, world):
    tasks = [
        services.proxy_task_create(
            actor=world.wx_center, order=world.order, station=world.station, title=f"代办{n}"
        )
        for n in range(3)
    ]
    otp_login(world.wx_center)
    queue = client.get(f"/fieldwork/manage/tasks/?station={world.station.pk}")
    assert 'name="tasks"' in queue.content.decode()

    response = client.post(
        "/fieldwork/manage/tasks/assign/",
        {
            "station": world.station.pk,
            "tasks": [tasks[0].pk, tasks[2].pk],
            "assignee": world.staff.pk,
        },
    )

    assert response.status_code == 302
    assert list(
        ProxyTask.objects.filter(assigned_to=world.staff)
        .order_by("pk")
        .values_list("pk", flat=True)
    ) == [tasks[0].pk, tasks[2].pk]


def test_bulk_assign_with_a_task_of_another_station_changes_nothing(client, otp_login, world):
    mine = services.proxy_task_create(
        actor=world.wx_center, order=world.order, station=world.station, title="代办"
    )
    theirs = services.proxy_task_create(
        actor=world.wx_center, order=world.order, station=world.station2, title="代办"
    )
    otp_login(world.staff)

    client.post(
        "/fieldwork/manage/tasks/assign/",
        {"station": world.station.pk, "tasks": [mine.pk, theirs.pk], "assignee": world.staff.pk},
    )

    assert not ProxyTask.objects.filter(assigned_to__isnull=False).exists()


def test_task_queue_query_count_is_constant(client, otp_login, world, regions):
    def add(n):
        for i in range(n):
            order = make_order(world.user, world.offering, region=regions["320281"])
            services.proxy_task_create(
                actor=world.wx_center,
                order=order,
                station=world.station,
                title=f"代办{i}",
                assigned_to=world.staff,
            )

    otp_login(world.wx_center)
    url = f"/fieldwork/manage/tasks/?station={world.station.pk}"
    add(2)
    few = count_queries(client, url)
    add(8)
    many = count_queries(client, url)
    assert few == many <= 13


def test_task_detail_and_form_query_counts(client, otp_login, world):
    task = services.proxy_task_create(
        actor=world.wx_center, order=world.order, station=world.station, title="代办"
    )
    for n in range(3):  # more tasks of the same order: listed, no more queries
        services.proxy_task_create(
            actor=world.wx_center, order=world.order, station=world.station, title=f"代办{n}"
        )
    otp_login(world.staff)
    assert count_queries(client, f"/fieldwork/manage/tasks/{task.pk}/") <= 9
    assert count_queries(client, "/fieldwork/manage/tasks/new/") <= 8
    assert count_queries(client, "/fieldwork/manage/samples/new/") <= 6


# --- samples --------------------------------------------------------------------------------


@pytest.mark.clause("WX 5.2a")
@pytest.mark.clause("HM 4.2.4.3")
def test_a_sample_through_the_pages_of_station_institution_and_user(client, otp_login, world):
    # the station receives it
    otp_login(world.staff)
    received = client.post(
        "/fieldwork/manage/samples/new/",
        {
            "station": world.station.pk,
            "order": world.order.number,
            "description": "一般压力表",
            "quantity": "5 只",
            "condition": "完好",
            "photo": png(),
        },
    )
    sample = Sample.objects.get()
    assert received.status_code == 302
    assert received["Location"] == f"/fieldwork/manage/samples/{sample.pk}/"
    photo_url = sample.photo.get_absolute_url()
    assert client.get(photo_url).status_code == 200  # the station reads its photo
    client.post(
        f"/fieldwork/manage/samples/{sample.pk}/send/",
        {"carrier": "顺丰速运", "tracking_number": "SF1234567890"},
    )
    client.logout()

    # the institution confirms and uploads the report
    lab = Client()
    lab.force_login(world.inst_person)
    listing = lab.get("/fieldwork/institution/samples/")
    assert sample.number in listing.content.decode()
    assert lab.post(f"/fieldwork/institution/samples/{sample.pk}/confirm/").status_code == 302
    again = lab.post(f"/fieldwork/institution/samples/{sample.pk}/confirm/")
    assert again.status_code == 409
    assert (
        lab.post(
            f"/fieldwork/institution/samples/{sample.pk}/report/", {"report": png("report.png")}
        ).status_code
        == 302
    )

    # the user sees where it is, but never the code on the page
    mine = Client()
    mine.force_login(world.user)
    code = last_code(world.user)
    page = mine.get(f"/fieldwork/samples/{sample.pk}/").content.decode()
    assert code not in page
    assert page.count("<li>") >= 4
    assert 'id="custody"' in page
    sample.refresh_from_db()
    assert mine.get(sample.report.get_absolute_url()).status_code == 404  # not before hand-out

    # the station hands it out
    otp_login(world.staff)
    handed = client.post(f"/fieldwork/manage/samples/{sample.pk}/hand-out/", {"code": code})
    assert handed.status_code == 302
    sample.refresh_from_db()
    assert sample.status == SampleStatus.HANDED_OUT
    assert mine.get(sample.report.get_absolute_url()).status_code == 200
    assert lab.get(sample.report.get_absolute_url()).status_code == 200


def test_wrong_pick_up_codes_are_shown_and_then_locked(client, otp_login, world):
    sample = _receive(world)
    services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number="SF1")
    services.sample_confirm_receipt(actor=world.inst_person, sample=sample)
    services.sample_report_upload(actor=world.inst_person, sample=sample, report=png())
    code = last_code(world.user)
    wrong = "000000" if code != "000000" else "111111"
    otp_login(world.staff)
    url = f"/fieldwork/manage/samples/{sample.pk}/hand-out/"

    answers = [client.post(url, {"code": wrong}).status_code for _ in range(5)]
    locked = client.post(url, {"code": code})

    assert answers == [400] * 5
    assert locked.status_code == 400
    assert 'class="warning"' in locked.content.decode()
    sample.refresh_from_db()
    assert sample.status == SampleStatus.REPORT_READY


def test_another_stations_sample_in_the_url_is_not_found(client, otp_login, world):
    sample = _receive(world)
    otp_login(world.staff2)

    assert client.get(f"/fieldwork/manage/samples/{sample.pk}/").status_code == 404
    response = client.post(
        f"/fieldwork/manage/samples/{sample.pk}/send/", {"carrier": "顺丰", "tracking_number": "1"}
    )
    assert response.status_code == 404
    sample.refresh_from_db()
    assert sample.status == SampleStatus.AT_STATION


def test_sample_queue_and_detail_query_counts(client, otp_login, world, regions):
    otp_login(world.staff)

    def add(n):
        for _ in range(n):
            _receive(world, make_order(world.user, world.offering, region=regions["320281"]))

    add(2)
    few = count_queries(client, "/fieldwork/manage/samples/")
    add(6)
    many = count_queries(client, "/fieldwork/manage/samples/")
    assert few == many <= 9

    sample = Sample.objects.first()
    services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number="1")
    detail = count_queries(client, f"/fieldwork/manage/samples/{sample.pk}/")
    assert detail <= 7


def test_user_and_institution_sample_pages_query_counts(client, world, regions):
    for _ in range(3):
        sample = _receive(world, make_order(world.user, world.offering, region=regions["320281"]))
    client.force_login(world.user)
    few = count_queries(client, "/fieldwork/samples/")
    _receive(world)
    _receive(world)
    assert count_queries(client, "/fieldwork/samples/") == few <= 4
    assert count_queries(client, f"/fieldwork/samples/{sample.pk}/") <= 5
    client.force_login(world.inst_person)
    assert count_queries(client, "/fieldwork/institution/samples/") <= 6
    assert count_queries(client, f"/fieldwork/institution/samples/{sample.pk}/") <= 6


# --- appointments -------------------------------------------------------------------------------


@pytest.mark.clause("WX 5.2b")
def test_the_public_sees_free_slots_and_booking_needs_login(client, world):
    free = _slot(world, sh(2026, 11, 19, 9, 0))
    taken = _slot(world, sh(2026, 11, 19, 10, 0))
    services.appointment_book(user=world.other_user, slot=taken)

    page = client.get(f"/fieldwork/slots/station/{world.station.pk}/").content.decode()
    assert f"/fieldwork/slots/{free.pk}/book/" in page
    assert f"/fieldwork/slots/{taken.pk}/book/" not in page

    anonymous = client.post(f"/fieldwork/slots/{free.pk}/book/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]

    client.force_login(world.user)
    booked = client.post(f"/fieldwork/slots/{free.pk}/book/", {"order": world.order.pk})
    assert booked.status_code == 302
    assert Appointment.objects.get(slot=free).order == world.order


def test_a_taken_slot_answers_on_the_booking_page(client, world):
    free = _slot(world, sh(2026, 11, 19, 9, 0))
    services.appointment_book(user=world.other_user, slot=free)
    client.force_login(world.user)

    response = client.post(f"/fieldwork/slots/{free.pk}/book/", {})

    assert response.status_code == 400
    assert Appointment.objects.filter(slot=free).count() == 1


def test_my_appointments_and_cancelling(client, world):
    booking = services.appointment_book(user=world.user, slot=_slot(world, sh(2026, 11, 20, 9)))
    client.force_login(world.user)
    page = client.get("/fieldwork/appointments/").content.decode()
    assert f"/fieldwork/appointments/{booking.pk}/cancel/" in page

    assert client.post(f"/fieldwork/appointments/{booking.pk}/cancel/").status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_staff_day_view_generate_and_cancel(client, otp_login, world):
    otp_login(world.staff)
    made = client.post(
        "/fieldwork/manage/slots/new/",
        {
            "station": world.station.pk,
            "first_day": "2026-11-19",
            "last_day": "2026-11-20",
            "day_starts": "09:00",
            "day_ends": "12:00",
            "minutes": "30",
            "purpose": SlotPurpose.VISIT,
        },
    )
    assert made.status_code == 302
    assert Slot.objects.count() == 12
    first = Slot.objects.order_by("starts_at").first()
    booking = services.appointment_book(user=world.user, slot=first, note="送 5 只压力表")

    day = client.get(f"/fieldwork/manage/slots/?station={world.station.pk}&day=2026-11-19")
    assert "送 5 只压力表" in day.content.decode()
    cancelled = client.post(
        f"/fieldwork/manage/appointments/{booking.pk}/cancel/", {"reason": "临时停电"}
    )
    assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.cancelled_at is not None


def test_institution_generates_its_own_slots(client, world):
    client.force_login(world.inst_person)
    response = client.post(
        "/fieldwork/institution/slots/new/",
        {
            "first_day": "2026-11-21",  # Saturday: nothing
            "last_day": "2026-11-22",
            "day_starts": "09:00",
            "day_ends": "12:00",
            "minutes": "60",
            "purpose": SlotPurpose.VISIT,
        },
    )
    assert response.status_code == 302
    assert not Slot.objects.exists()
    bad = client.post("/fieldwork/institution/slots/new/", {"first_day": "x"})
    assert bad.status_code == 400


def test_slot_pages_query_counts(client, otp_login, world):
    for hour in (9, 10):
        _slot(world, sh(2026, 11, 19, hour, 0))
    url = f"/fieldwork/slots/station/{world.station.pk}/"
    few = count_queries(client, url)
    for hour in (11, 14, 15, 16):
        slot = _slot(world, sh(2026, 11, 19, hour, 0))
    services.appointment_book(user=world.user, slot=slot)
    assert count_queries(client, url) == few <= 3

    client.force_login(world.user)
    assert count_queries(client, "/fieldwork/appointments/") <= 4
    otp_login(world.staff)
    day = f"/fieldwork/manage/slots/?station={world.station.pk}&day=2026-11-19"
    assert count_queries(client, day) <= 8


# --- follow-ups -----------------------------------------------------------------------------------


@pytest.mark.clause("HM 4.3.4.2")
def test_record_a_follow_up_through_the_page(client, otp_login, world):
    follow_up = services.follow_up_schedule(order=world.order, due_on=dt.date(2026, 11, 18))
    otp_login(world.wx_center)
    queue = client.get("/fieldwork/manage/follow-ups/?view=today").content.decode()
    assert f"/fieldwork/manage/follow-ups/{follow_up.pk}/" in queue

    bad = client.post(
        f"/fieldwork/manage/follow-ups/{follow_up.pk}/",
        {"method": FollowUpMethod.PHONE, "content": "回访", "issues_action": "demand"},
    )
    assert bad.status_code == 400
    ok = client.post(
        f"/fieldwork/manage/follow-ups/{follow_up.pk}/",
        {"method": FollowUpMethod.PHONE, "content": "回访，用户满意", "outcome": "满意"},
    )
    assert ok.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_by == world.wx_center
    assert "回访，用户满意" in client.get(ok["Location"]).content.decode()


def test_follow_up_queue_query_count(client, otp_login, world, regions):
    def add(n):
        for _ in range(n):
            services.follow_up_schedule(
                order=make_order(world.user, world.offering, region=regions["320281"]),
                due_on=dt.date(2026, 11, 18),
            )

    otp_login(world.wx_center)
    add(2)
    few = count_queries(client, "/fieldwork/manage/follow-ups/")
    add(5)
    assert count_queries(client, "/fieldwork/manage/follow-ups/") == few <= 9
    follow_up = FollowUp.objects.first()
    assert count_queries(client, f"/fieldwork/manage/follow-ups/{follow_up.pk}/") <= 6
