"""The fieldwork API: free slots in public, booking and my appointments and
samples behind login; no pick-up code in any answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onestop.fieldwork import services
from onestop.fieldwork.models import Appointment, SlotPurpose
from onestop.fieldwork.tests.conftest import last_code, png, sh

pytestmark = pytest.mark.clause("WX 5.2b")

API = "/api/v1/fieldwork"


@pytest.fixture
def api_client():
    return Client()


def _slot(world, hour: int):
    start = sh(2026, 11, 19, hour, 0)
    return services.slot_create(
        actor=world.staff,
        station=world.station,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        purpose=SlotPurpose.SAMPLE_DROP_OFF,
    )


def test_free_slots_are_public(api_client, world):
    free, taken = _slot(world, 9), _slot(world, 10)
    services.appointment_book(user=world.other_user, slot=taken)

    response = api_client.get(f"{API}/slots", {"station": world.station.pk})

    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [free.pk]
    assert api_client.get(f"{API}/slots").status_code == 400
    assert api_client.get(f"{API}/slots", {"station": 99999}).status_code == 404


def test_booking_needs_login_and_refuses_a_taken_slot(api_client, world):
    free = _slot(world, 9)
    anonymous = api_client.post(f"{API}/slots/{free.pk}/book", {}, content_type="application/json")
    assert anonymous.status_code == 401

    api_client.force_login(world.user)
    booked = api_client.post(
        f"{API}/slots/{free.pk}/book",
        {"order_number": world.order.number, "note": "送样"},
        content_type="application/json",
    )
    assert booked.status_code == 201, booked.content
    assert booked.json()["order_number"] == world.order.number

    api_client.force_login(world.other_user)
    again = api_client.post(f"{API}/slots/{free.pk}/book", {}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "slot_taken"
    assert Appointment.objects.count() == 1


def test_someone_elses_order_number_is_not_found(api_client, world):
    api_client.force_login(world.other_user)
    response = api_client.post(
        f"{API}/slots/{_slot(world, 9).pk}/book",
        {"order_number": world.order.number},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_my_appointments_and_cancel(api_client, world):
    booking = services.appointment_book(user=world.user, slot=_slot(world, 9))
    api_client.force_login(world.user)

    listed = api_client.get(f"{API}/appointments")
    cancelled = api_client.post(
        f"{API}/appointments/{booking.pk}/cancel", {}, content_type="application/json"
    )
    again = api_client.post(
        f"{API}/appointments/{booking.pk}/cancel", {}, content_type="application/json"
    )

    assert [a["id"] for a in listed.json()] == [booking.pk]
    assert cancelled.status_code == 200
    assert cancelled.json()["cancelled_at"]
    assert again.status_code == 409
    api_client.force_login(world.other_user)
    assert api_client.get(f"{API}/appointments").json() == []
    other = api_client.post(
        f"{API}/appointments/{booking.pk}/cancel", {}, content_type="application/json"
    )
    assert other.status_code == 404


def test_my_samples_never_show_the_pick_up_code(api_client, world):
    assert api_client.get(f"{API}/samples").status_code == 401
    sample = services.sample_receive(
        actor=world.staff,
        station=world.station,
        order=world.order,
        description="压力表",
        quantity="5 只",
        condition="完好",
    )
    services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number="SF1")
    services.sample_confirm_receipt(actor=world.inst_person, sample=sample)
    services.sample_report_upload(actor=world.inst_person, sample=sample, report=png())
    code = last_code(world.user)
    api_client.force_login(world.user)

    listed = api_client.get(f"{API}/samples")
    detail = api_client.get(f"{API}/samples/{sample.pk}")

    assert [s["status"] for s in listed.json()] == ["report_ready"]
    assert [e["to_status"] for e in detail.json()["events"]] == [
        "at_station",
        "in_transit",
        "at_institution",
        "report_ready",
    ]
    for response in (listed, detail):
        assert code not in response.content.decode()
        assert "pickup" not in response.content.decode()
    api_client.force_login(world.other_user)
    assert api_client.get(f"{API}/samples/{sample.pk}").status_code == 404
