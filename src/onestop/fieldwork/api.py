"""Fieldwork API under /api/v1/fieldwork/: free appointment slots (public),
booking and cancelling (logged in), my appointments, and where my samples
are. No response ever carries a pick-up code."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from onestop.core.errors import InvalidInput
from onestop.core.http import AuthenticatedRequest
from onestop.fieldwork import selectors, services
from onestop.fieldwork.models import Appointment, Sample, Slot

router = Router(tags=["fieldwork"])


class ErrorOut(Schema):
    code: str
    detail: str


_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    purpose: str
    station_id: int | None
    institution_id: int | None


class BookIn(Schema):
    order_number: str = ""
    note: str = ""


class AppointmentOut(Schema):
    id: int
    slot: SlotOut
    place: str
    order_number: str | None
    note: str
    cancelled_at: dt.datetime | None


class CancelIn(Schema):
    reason: str = ""


class SampleEventOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    note: str


class SampleOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    order_number: str
    station: str
    institution: str
    carrier: str
    tracking_number: str
    events: list[SampleEventOut]


def _slot(slot: Slot) -> SlotOut:
    return SlotOut(
        id=slot.pk,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        purpose=slot.purpose,
        station_id=slot.station_id,
        institution_id=slot.institution_id,
    )


def _appointment(appointment: Appointment) -> AppointmentOut:
    slot = appointment.slot
    place = slot.station or slot.institution
    return AppointmentOut(
        id=appointment.pk,
        slot=_slot(slot),
        place=place.name if place is not None else "",
        order_number=appointment.order.number if appointment.order else None,
        note=appointment.note,
        cancelled_at=appointment.cancelled_at,
    )


def _sample(sample: Sample, events: bool) -> SampleOut:
    return SampleOut(
        id=sample.pk,
        number=sample.number,
        status=sample.status,
        status_label=sample.get_status_display(),
        order_number=sample.order.number,
        station=sample.station.name,
        institution=sample.order.institution.name,
        carrier=sample.carrier,
        tracking_number=sample.tracking_number,
        events=[
            SampleEventOut(at=e.at, from_status=e.from_status, to_status=e.to_status, note=e.note)
            for e in sample.events.all()
        ]
        if events
        else [],
    )


@router.get(
    "/slots",
    auth=None,
    response={200: list[SlotOut], **_ERRORS},
    summary="Free appointment slots of a station or an institution, next 14 days",
)
def free_slots(
    request: HttpRequest, station: int | None = None, institution: int | None = None
) -> list[SlotOut]:
    if (station is None) == (institution is None):
        raise InvalidInput(_("Give either a station or an institution."))
    if institution is not None:
        slots = selectors.free_slots(
            institution=selectors.institution_public(institution_id=institution)
        )
    else:
        slots = selectors.free_slots(station=selectors.station_public(station_id=station or 0))
    return [_slot(slot) for slot in slots]


@router.post(
    "/slots/{slot_id}/book",
    response={201: AppointmentOut, **_ERRORS},
    summary="Book a free slot (optionally for one of my running orders)",
)
def book(request: AuthenticatedRequest, slot_id: int, data: BookIn) -> Status[AppointmentOut]:
    slot = selectors.slot_bookable(slot_id=slot_id)
    order = None
    if data.order_number.strip():
        order = (
            selectors.open_orders_of(user=request.user)
            .filter(number=data.order_number.strip().upper())
            .first()
        )
        if order is None:
            raise selectors.OrderNotFound(field="order_number")
    appointment = services.appointment_book(
        user=request.user, slot=slot, order=order, note=data.note
    )
    mine = selectors.appointment_of_user(user=request.user, appointment_id=appointment.pk)
    return Status(201, _appointment(mine))


@router.get("/appointments", response=list[AppointmentOut], summary="My appointments")
def my_appointments(request: AuthenticatedRequest) -> list[AppointmentOut]:
    return [_appointment(a) for a in selectors.appointments_of(user=request.user)[:200]]


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, **_ERRORS},
    summary="Cancel my appointment; the slot is free again",
)
def cancel(request: AuthenticatedRequest, appointment_id: int, data: CancelIn) -> AppointmentOut:
    appointment = selectors.appointment_of_user(user=request.user, appointment_id=appointment_id)
    services.appointment_cancel(actor=request.user, appointment=appointment, reason=data.reason)
    return _appointment(
        selectors.appointment_of_user(user=request.user, appointment_id=appointment_id)
    )


@router.get("/samples", response=list[SampleOut], summary="Where my samples are")
def my_samples(request: AuthenticatedRequest) -> list[SampleOut]:
    return [_sample(s, events=False) for s in selectors.samples_of_user(user=request.user)[:200]]


@router.get(
    "/samples/{sample_id}",
    response={200: SampleOut, **_ERRORS},
    summary="One of my samples with its chain of custody",
)
def my_sample(request: AuthenticatedRequest, sample_id: int) -> SampleOut:
    return _sample(selectors.sample_for_user(user=request.user, sample_id=sample_id), events=True)
