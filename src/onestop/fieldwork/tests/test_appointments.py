"""Appointments (WX 5.2 b 3): slots at a station or an institution, made on
working days, booked once; cancelling frees the slot."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.accounts.authz import NotAllowed
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.fieldwork import rules, selectors, services
from onestop.fieldwork.models import Appointment, Slot, SlotPurpose
from onestop.fieldwork.tests.conftest import SH, make_order, sh
from onestop.institutions.models import InstitutionStatus
from onestop.notifications.models import Notification

pytestmark = pytest.mark.clause("WX 5.2b")


def slot(world, start=None, **fields) -> Slot:
    starts = start or sh(2026, 11, 19, 9, 0)
    values = {
        "actor": world.staff,
        "station": world.station,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(minutes=30),
        "purpose": SlotPurpose.SAMPLE_DROP_OFF,
    }
    values.update(fields)
    return services.slot_create(**values)


def generate(world, **fields) -> list[Slot]:
    values = {
        "actor": world.staff,
        "station": world.station,
        "first_day": dt.date(2026, 11, 18),
        "last_day": dt.date(2026, 11, 24),
        "day_starts": dt.time(9, 0),
        "day_ends": dt.time(11, 0),
        "minutes": 60,
        "purpose": SlotPurpose.VISIT,
    }
    values.update(fields)
    return services.slots_generate(**values)


def test_generated_slots_skip_weekends_holidays_and_the_past(world):
    # Wed 18 (10:00 now: 9:00 has passed, 10:00 is not in the future), Thu 19,
    # Fri 20, Mon 23, Tue 24; Sat 21 and Sun 22 are skipped.
    slots = generate(world)

    starts = sorted(s.starts_at for s in slots)
    assert {s.astimezone(SH).date() for s in starts} == {
        dt.date(2026, 11, 19),
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 24),
    }
    assert len(slots) == 8
    # running it again adds nothing
    assert generate(world) == []


def test_the_national_day_holiday_is_skipped_and_the_adjusted_saturday_is_not(world, time_machine):
    time_machine.move_to(sh(2026, 9, 20, 8, 0))
    slots = generate(
        world, first_day=dt.date(2026, 9, 26), last_day=dt.date(2026, 10, 11), minutes=120
    )

    days = sorted({s.starts_at.astimezone(SH).date() for s in slots})
    assert days == [
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
        dt.date(2026, 10, 10),  # a Saturday worked in exchange for the holiday (调休)
    ]


def test_bad_generation_input(world):
    with pytest.raises(InvalidInput) as caught:
        generate(world, last_day=dt.date(2026, 11, 1))
    assert caught.value.field == "last_day"
    with pytest.raises(InvalidInput):
        generate(world, minutes=2)
    with pytest.raises(InvalidInput):
        generate(world, day_starts=dt.time(12), day_ends=dt.time(9))
    with pytest.raises(InvalidInput):
        generate(world, last_day=dt.date(2027, 3, 1))
    with pytest.raises(InvalidInput):
        generate(world, purpose="party")
    assert not Slot.objects.exists()


def test_only_the_station_staff_or_the_institution_people_make_slots(world):
    with pytest.raises(NotAllowed):
        slot(world, actor=world.staff2)
    with pytest.raises(NotAllowed):
        slot(world, actor=world.user)
    with pytest.raises(NotAllowed):
        slot(world, actor=world.other_inst_person, station=None, institution=world.institution)
    made = slot(world, actor=world.inst_person, station=None, institution=world.institution)
    assert made.institution == world.institution
    with pytest.raises(InvalidInput):
        slot(world, station=world.station, institution=world.institution)


def test_single_slot_rules(world):
    with pytest.raises(InvalidInput):
        slot(world, start=sh(2026, 11, 17, 9, 0))  # past
    one = slot(world)
    with pytest.raises(InvalidInput):
        slot(world, start=one.starts_at)  # same time twice
    with pytest.raises(InvalidInput):
        slot(world, ends_at=one.starts_at - dt.timedelta(minutes=1), start=sh(2026, 11, 20, 9))


def test_booking_and_no_double_booking(world):
    free = slot(world)
    appointment = services.appointment_book(user=world.user, slot=free, order=world.order)

    assert appointment.order == world.order
    with pytest.raises(rules.SlotTaken) as caught:
        services.appointment_book(user=world.other_user, slot=free)
    assert caught.value.code == "slot_taken"
    assert Appointment.objects.count() == 1
    assert Notification.objects.filter(recipient=world.staff, kind="fieldwork.appointment_booked")
    assert Notification.objects.filter(recipient=world.user, kind="fieldwork.appointment_booked")


def test_the_constraint_itself_refuses_a_second_live_booking(world):
    """What a concurrent second booking meets once the first is committed."""
    from django.db import IntegrityError, transaction

    free = slot(world)
    Appointment.objects.create(slot=free, user=world.user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(slot=free, user=world.other_user)


def test_a_past_slot_cannot_be_booked(world, time_machine):
    soon = slot(world)
    time_machine.move_to(sh(2026, 11, 19, 9, 1))
    with pytest.raises(InvalidTransition):
        services.appointment_book(user=world.user, slot=soon)
    assert not Appointment.objects.exists()


def test_someone_elses_order_cannot_be_attached(world):
    theirs = make_order(world.other_user, world.offering, region=world.order.region)
    with pytest.raises(NotFound):
        services.appointment_book(user=world.user, slot=slot(world), order=theirs)
    assert not Appointment.objects.exists()


def test_a_suspended_institution_takes_no_bookings(world):
    free = slot(world, actor=world.inst_person, station=None, institution=world.institution)
    world.institution.status = InstitutionStatus.SUSPENDED
    world.institution.save()
    with pytest.raises(InvalidTransition):
        services.appointment_book(user=world.user, slot=free)


def test_cancelling_frees_the_slot(world):
    free = slot(world)
    first = services.appointment_book(user=world.user, slot=free)
    with pytest.raises(NotAllowed):
        services.appointment_cancel(actor=world.other_user, appointment=first)
    with pytest.raises(NotAllowed):
        services.appointment_cancel(actor=world.staff2, appointment=first)

    services.appointment_cancel(actor=world.user, appointment=first)
    with pytest.raises(InvalidTransition):
        services.appointment_cancel(actor=world.user, appointment=first)
    assert [s.pk for s in selectors.free_slots(station=world.station)] == [free.pk]

    second = services.appointment_book(user=world.other_user, slot=free)
    services.appointment_cancel(actor=world.staff, appointment=second, reason="站点临时停电")
    told = Notification.objects.get(
        recipient=world.other_user, kind="fieldwork.appointment_cancelled"
    )
    assert told.body == "站点临时停电"


def test_a_past_appointment_cannot_be_cancelled(world, time_machine):
    booked = services.appointment_book(user=world.user, slot=slot(world))
    time_machine.move_to(sh(2026, 11, 19, 10, 0))
    with pytest.raises(InvalidTransition):
        services.appointment_cancel(actor=world.user, appointment=booked)


def test_free_slots_are_the_next_fourteen_days_unbooked(world):
    near = slot(world)
    taken = slot(world, start=sh(2026, 11, 19, 10, 0))
    far = slot(world, start=sh(2026, 12, 3, 9, 0))  # 15 days on
    services.appointment_book(user=world.user, slot=taken)

    assert [s.pk for s in selectors.free_slots(station=world.station)] == [near.pk]
    assert far.pk not in [s.pk for s in selectors.free_slots(station=world.station)]


def test_slots_with_bookings_are_cancelled_not_deleted(world):
    one = slot(world)
    services.appointment_book(user=world.user, slot=one)
    with pytest.raises(InvalidTransition):
        services.slot_delete(actor=world.staff, slot=one)
    two = slot(world, start=sh(2026, 11, 20, 9, 0))
    with pytest.raises(NotAllowed):
        services.slot_delete(actor=world.staff2, slot=two)
    services.slot_delete(actor=world.staff, slot=two)
    assert list(Slot.objects.values_list("pk", flat=True)) == [one.pk]
