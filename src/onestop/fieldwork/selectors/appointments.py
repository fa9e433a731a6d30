"""Reads of time slots and appointments (WX 5.2 b 3): the public free
slots of a station or an institution, the user's bookings, and a day's
slots with their bookings for the staff and the institution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core import workdays
from onestop.core.errors import NotFound
from onestop.fieldwork import rules
from onestop.fieldwork.models import Appointment, Slot
from onestop.fieldwork.scope import fieldwork_scope
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.orders.models import OPEN_STATUSES, Order
from onestop.stations.models import Station, StationStatus


class SlotNotFound(NotFound):
    code = "slot_not_found"
    default_message = _("No such time slot.")


class AppointmentNotFound(NotFound):
    code = "appointment_not_found"
    default_message = _("No such appointment.")


def _live(slot_ref: str = "pk") -> Exists:
    return Exists(Appointment.objects.filter(slot=OuterRef(slot_ref), cancelled_at__isnull=True))


def station_public(*, station_id: int) -> Station:
    station = (
        Station.objects.filter(pk=station_id, status=StationStatus.ACTIVE)
        .select_related("region")
        .first()
    )
    if station is None:
        raise NotFound(_("No such station."))
    return station


def institution_public(*, institution_id: int) -> Institution:
    institution = (
        Institution.objects.filter(pk=institution_id, status=InstitutionStatus.ACTIVE)
        .select_related("region")
        .first()
    )
    if institution is None:
        raise NotFound(_("No such institution."))
    return institution


def free_slots(
    *,
    station: Station | None = None,
    institution: Institution | None = None,
    now: dt.datetime | None = None,
) -> list[Slot]:
    """Unbooked future slots of one place for the next SLOT_WINDOW_DAYS days (one query)."""
    moment = now or timezone.now()
    slots = Slot.objects.filter(
        starts_at__gt=moment, starts_at__lt=moment + dt.timedelta(days=rules.SLOT_WINDOW_DAYS)
    ).filter(~_live())
    if station is not None:
        slots = slots.filter(station=station)
    elif institution is not None:
        slots = slots.filter(institution=institution)
    else:
        return []
    return list(slots.order_by("starts_at", "id")[:1000])


@dataclass(frozen=True)
class Day:
    day: dt.date
    slots: list[Slot]


def by_day(slots: list[Slot]) -> list[Day]:
    days: dict[dt.date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(timezone.localtime(slot.starts_at).date(), []).append(slot)
    return [Day(day=day, slots=items) for day, items in days.items()]


def slot_bookable(*, slot_id: int, now: dt.datetime | None = None) -> Slot:
    """A slot as the booking page shows it (past or taken ones too: the
    service refuses them with the reason)."""
    slot = (
        Slot.objects.select_related("station__region", "institution__region")
        .annotate(taken=_live())
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def open_orders_of(*, user: Any) -> QuerySet[Order]:
    """The user's orders still running, to attach a booking to."""
    return (
        Order.objects.filter(user=user, status__in=OPEN_STATUSES)
        .select_related("institution")
        .order_by("-created_at")
    )


def appointments_of(*, user: Any) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(user=user)
        .select_related("slot__station", "slot__institution", "order")
        .order_by("-slot__starts_at", "-id")
    )


def appointment_of_user(*, user: Any, appointment_id: int) -> Appointment:
    appointment = appointments_of(user=user).filter(pk=appointment_id).first()
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


def _day_slots(slots: QuerySet[Slot], day: dt.date) -> list[Slot]:
    return list(
        slots.filter(
            starts_at__gte=workdays.start_of_day(day), starts_at__lt=workdays.end_of_day(day)
        )
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("user", "order").order_by("id"),
                to_attr="bookings",
            )
        )
        .order_by("starts_at", "id")
    )


def station_day(*, station: Station, day: dt.date) -> list[Slot]:
    """A station's slots on one day, each with its bookings (two queries)."""
    return _day_slots(Slot.objects.filter(station=station), day)


def institution_day(*, institution: Institution, day: dt.date) -> list[Slot]:
    return _day_slots(Slot.objects.filter(institution=institution), day)


def slot_for_staff(*, user: Any, slot_id: int) -> Slot:
    scope = fieldwork_scope(user)
    slot = (
        Slot.objects.filter(station__isnull=False)
        .filter(scope.q(region="station__region", station="station"))
        .select_related("station__region")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def slot_for_institution(*, institution: Institution, slot_id: int) -> Slot:
    slot = (
        Slot.objects.filter(institution=institution, pk=slot_id)
        .select_related("institution__region")
        .first()
    )
    if slot is None:
        raise SlotNotFound()
    return slot


def appointment_for_staff(*, user: Any, appointment_id: int) -> Appointment:
    scope = fieldwork_scope(user)
    condition = scope.q(region="slot__station__region", station="slot__station")
    appointment = (
        Appointment.objects.filter(slot__station__isnull=False)
        .filter(condition)
        .select_related("slot__station__region", "user")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise AppointmentNotFound()
    return appointment


def appointment_for_institution(*, institution: Institution, appointment_id: int) -> Appointment:
    appointment = (
        Appointment.objects.filter(slot__institution=institution, pk=appointment_id)
        .select_related("slot__institution__region", "user")
        .first()
    )
    if appointment is None:
        raise AppointmentNotFound()
    return appointment
