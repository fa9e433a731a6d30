"""The concurrent cases, on PostgreSQL with two connections (one per
thread): a slot booked twice at once, a sample's receipt confirmed twice at
once, two samples numbered at once, a follow-up scheduled twice at once.
Exactly one wins; no duplicate rows."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from onestop.core.errors import DomainError
from onestop.fieldwork import services
from onestop.fieldwork.models import (
    Appointment,
    FollowUp,
    Sample,
    SampleEvent,
    SampleStatus,
    SlotPurpose,
)
from onestop.fieldwork.tests.conftest import sh

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls at the same moment, each in its own thread and database
    connection; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.clause("WX 5.2b")
def test_two_people_booking_one_slot_at_once_get_one_booking(world):
    start = sh(2026, 11, 19, 9, 0)
    slot = services.slot_create(
        actor=world.staff,
        station=world.station,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        purpose=SlotPurpose.VISIT,
    )

    results = race(
        lambda: services.appointment_book(user=world.user, slot=slot),
        lambda: services.appointment_book(user=world.other_user, slot=slot),
    )

    won = [r for r in results if isinstance(r, Appointment)]
    lost = [r for r in results if isinstance(r, DomainError)]
    assert len(won) == 1, results
    assert len(lost) == 1, results
    assert lost[0].code == "slot_taken"
    assert Appointment.objects.filter(slot=slot).count() == 1


@pytest.mark.clause("WX 5.2b")
def test_a_booking_not_yet_committed_still_blocks_the_slot(world):
    """The second booking cannot see the first (uncommitted) one, so only the
    unique index stops it: it waits for the first to commit, then gets
    "already booked" instead of a duplicate row."""
    import time

    from django.db import transaction

    start = sh(2026, 11, 19, 9, 0)
    slot = services.slot_create(
        actor=world.staff,
        station=world.station,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        purpose=SlotPurpose.VISIT,
    )
    booked = threading.Event()

    def first() -> Appointment:
        with transaction.atomic():
            appointment = services.appointment_book(user=world.user, slot=slot)
            booked.set()
            time.sleep(1.0)  # the second one is now waiting on the index
        return appointment

    def second() -> Appointment:
        booked.wait(timeout=10)
        return services.appointment_book(user=world.other_user, slot=slot)

    results = race(first, second)

    assert isinstance(results[0], Appointment), results
    assert getattr(results[1], "code", "") == "slot_taken", results
    assert Appointment.objects.filter(slot=slot).count() == 1


@pytest.mark.clause("WX 5.2a")
def test_receipt_confirmed_twice_at_once_is_recorded_once(world):
    sample = services.sample_receive(
        actor=world.staff,
        station=world.station,
        order=world.order,
        description="压力表",
        quantity="5 只",
        condition="完好",
    )
    services.sample_send(actor=world.staff, sample=sample, carrier="顺丰", tracking_number="SF1")

    results = race(
        lambda: services.sample_confirm_receipt(actor=world.inst_person, sample=sample),
        lambda: services.sample_confirm_receipt(actor=world.inst_person, sample=sample),
    )

    assert sum(isinstance(r, Sample) for r in results) == 1, results
    assert sum(getattr(r, "code", "") == "invalid_transition" for r in results) == 1
    assert (
        SampleEvent.objects.filter(sample=sample, to_status=SampleStatus.AT_INSTITUTION).count()
        == 1
    )


@pytest.mark.clause("WX 5.2a")
def test_two_stations_receiving_at_once_get_different_numbers(world):
    def receive(actor, station):
        return lambda: services.sample_receive(
            actor=actor,
            station=station,
            order=world.order,
            description="压力表",
            quantity="1 只",
            condition="完好",
        )

    results = race(receive(world.staff, world.station), receive(world.staff2, world.station2))

    assert all(isinstance(r, Sample) for r in results), results
    assert sorted(r.number for r in results) == ["YP2026111800001", "YP2026111800002"]


@pytest.mark.clause("HM 4.3.4.2")
def test_a_follow_up_scheduled_twice_at_once_exists_once(world):
    results = race(
        lambda: services.follow_up_schedule(order=world.order),
        lambda: services.follow_up_schedule(order=world.order),
    )

    assert all(isinstance(r, FollowUp) for r in results), results
    assert results[0].pk == results[1].pk
    assert FollowUp.objects.filter(order=world.order).count() == 1
