"""Appointments (WX 5.2 b 3: 预约式服务): bookable time slots at a station or
an institution, for visits and sample drop-off. A slot holds one live booking;
the partial unique constraint one_live_booking_per_slot is the guard, so two
people booking the same slot at the same instant get one booking and one
"already booked" message."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.fieldwork import rules
from onestop.fieldwork.models import Appointment, Slot, SlotPurpose
from onestop.fieldwork.scope import fieldwork_scope, require_station
from onestop.fieldwork.services._common import place_people, require_institution_person, text
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.notifications.services import notify
from onestop.orders.models import Order
from onestop.stations.models import Station, StationStatus


def _require_place(actor: User, station: Station | None, institution: Institution | None) -> None:
    """Staff handling the station, or the institution's own people."""
    if station is not None and institution is None:
        require_station(actor, station)
        if station.status != StationStatus.ACTIVE:
            raise InvalidInput(_("This station is closed."))
    elif institution is not None and station is None:
        require_institution_person(actor, institution.pk)
        if institution.status != InstitutionStatus.ACTIVE:
            raise InvalidInput(_("Only an active institution can offer appointments."))
    else:
        raise InvalidInput(_("A slot is at one station or at one institution."))


def _check_purpose(purpose: str) -> None:
    if purpose not in SlotPurpose.values:
        raise InvalidInput(_("Choose what the slot is for."), field="purpose")


def _place(slot: Slot) -> Station | Institution:
    """Where the slot is (the model's check constraint makes it exactly one)."""
    if slot.station is not None:
        return slot.station
    if slot.institution is not None:
        return slot.institution
    raise ValueError(f"slot {slot.pk} has no place")


@transaction.atomic
def slot_create(
    *,
    actor: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    station: Station | None = None,
    institution: Institution | None = None,
) -> Slot:
    """One bookable time at a station (its staff) or an institution (its people)."""
    _require_place(actor, station, institution)
    _check_purpose(purpose)
    if starts_at >= ends_at:
        raise InvalidInput(_("A slot must end after it starts."), field="ends_at")
    if starts_at <= timezone.now():
        raise InvalidInput(_("A slot must start in the future."), field="starts_at")
    clash = Slot.objects.filter(station=station, institution=institution, starts_at=starts_at)
    if clash.exists():
        raise InvalidInput(_("There is already a slot at this time."), field="starts_at")
    slot = Slot.objects.create(
        station=station,
        institution=institution,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="fieldwork.slot_create",
        obj=slot,
        region=(station or institution).region,  # type: ignore[union-attr]
        changes={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    return slot


@transaction.atomic
def slots_generate(
    *,
    actor: User,
    first_day: dt.date,
    last_day: dt.date,
    day_starts: dt.time,
    day_ends: dt.time,
    minutes: int,
    purpose: str,
    station: Station | None = None,
    institution: Institution | None = None,
) -> list[Slot]:
    """Slots of ``minutes`` from ``day_starts`` to ``day_ends`` on each working
    day (the working-day calendar: weekends and holidays skipped, adjusted
    working days included) from ``first_day`` to ``last_day``. Times already
    past and slots that already exist are skipped, so running it twice adds
    nothing."""
    _require_place(actor, station, institution)
    _check_purpose(purpose)
    if last_day < first_day:
        raise InvalidInput(_("The last day must not be before the first."), field="last_day")
    if (last_day - first_day).days >= rules.MAX_GENERATE_DAYS:
        raise InvalidInput(
            _("At most %(days)s days at a time."), field="last_day", days=rules.MAX_GENERATE_DAYS
        )
    if not 5 <= minutes <= 480:
        raise InvalidInput(_("A slot lasts 5 to 480 minutes."), field="minutes")
    if day_starts >= day_ends:
        raise InvalidInput(_("The day must end after it starts."), field="day_ends")
    calendar = workdays.load_calendar(range(first_day.year, last_day.year + 1))
    now = timezone.now()
    length = dt.timedelta(minutes=minutes)
    wanted: list[tuple[dt.datetime, dt.datetime]] = []
    day = first_day
    while day <= last_day:
        if calendar.is_workday(day):
            start = dt.datetime.combine(day, day_starts, tzinfo=workdays.TZ)
            close = dt.datetime.combine(day, day_ends, tzinfo=workdays.TZ)
            while start + length <= close:
                if start > now:
                    wanted.append((start, start + length))
                start += length
        day += dt.timedelta(days=1)
    existing = set(
        Slot.objects.filter(
            station=station,
            institution=institution,
            starts_at__gte=workdays.start_of_day(first_day),
            starts_at__lt=workdays.end_of_day(last_day),
        ).values_list("starts_at", flat=True)
    )
    new = [(s, e) for s, e in wanted if s not in existing]
    if len(new) > rules.MAX_GENERATE_SLOTS:
        raise InvalidInput(
            _("That would make %(count)s slots; at most %(limit)s at a time."),
            count=len(new),
            limit=rules.MAX_GENERATE_SLOTS,
        )
    slots = Slot.objects.bulk_create(
        Slot(
            station=station,
            institution=institution,
            starts_at=s,
            ends_at=e,
            purpose=purpose,
            created_by=actor,
        )
        for s, e in new
    )
    audit_record(
        actor=actor,
        action="fieldwork.slots_generate",
        obj=station or institution,
        changes={
            "first_day": first_day.isoformat(),
            "last_day": last_day.isoformat(),
            "hours": f"{day_starts:%H:%M}-{day_ends:%H:%M}",
            "minutes": minutes,
            "created": len(slots),
        },
    )
    return slots


@transaction.atomic
def slot_delete(*, actor: User, slot: Slot) -> None:
    """Take back a slot nobody ever booked (booked ones keep their history)."""
    _require_place(actor, slot.station, slot.institution)
    if slot.appointments.exists():
        raise InvalidTransition(_("This slot has bookings; cancel them instead of deleting it."))
    audit_record(
        actor=actor,
        action="fieldwork.slot_delete",
        obj=slot,
        region=(slot.station or slot.institution).region,  # type: ignore[union-attr]
        changes={"starts_at": slot.starts_at.isoformat()},
    )
    slot.delete()


@transaction.atomic
def appointment_book(
    *, user: User, slot: Slot, order: Order | None = None, note: str = ""
) -> Appointment:
    """Book a free slot in the future (WX 5.2 b 3), optionally for one of
    one's own orders. No double booking: a slot taken meanwhile answers
    "该时段已被预约"."""
    if not user.is_authenticated:
        raise InvalidTransition(_("Log in to book an appointment."))
    slot = Slot.objects.select_related("station__region", "institution__region").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise InvalidTransition(_("This time has passed; choose a later slot."))
    if slot.station is not None and slot.station.status != StationStatus.ACTIVE:
        raise InvalidTransition(_("This station is closed."))
    if slot.institution is not None and slot.institution.status != InstitutionStatus.ACTIVE:
        raise InvalidTransition(_("This institution does not take appointments now."))
    if order is not None and order.user_id != user.pk:
        raise NotFound()
    note = text(note, field="note", max_length=200, required=False)
    if slot.appointments.filter(cancelled_at__isnull=True).exists():
        raise rules.SlotTaken()
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(slot=slot, user=user, order=order, note=note)
    except IntegrityError:
        # Someone booked it between the check above and this insert.
        raise rules.SlotTaken() from None
    place = _place(slot)
    audit_record(
        actor=user,
        action="fieldwork.appointment_book",
        obj=appointment,
        region=place.region,
        changes={"slot": slot.pk, "order": order.number if order else None},
    )
    when = timezone.localtime(slot.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=[user],
        kind="fieldwork.appointment_booked",
        title=gettext("Appointment booked: %(place)s, %(when)s") % {"place": place, "when": when},
        body=slot.get_purpose_display(),
        url=reverse("fieldwork:my_appointments"),
    )
    staff_url = (
        reverse("fieldwork:slots") + f"?station={slot.station_id}&day={when[:10]}"
        if slot.station_id
        else reverse("fieldwork:inst_slots") + f"?day={when[:10]}"
    )
    notify(
        recipients=[p for p in place_people(station=slot.station, institution=slot.institution)],
        kind="fieldwork.appointment_booked",
        title=gettext("New appointment %(when)s: %(who)s") % {"when": when, "who": user},
        body=note,
        url=staff_url,
    )
    return appointment


def may_cancel(user: User, appointment: Appointment) -> bool:
    slot = appointment.slot
    if appointment.user_id == user.pk:
        return True
    if slot.station is not None:
        return fieldwork_scope(user).covers_station(slot.station)
    from onestop.institutions.selectors import institution_for_user

    institution = institution_for_user(user)
    return institution is not None and institution.pk == slot.institution_id


@transaction.atomic
def appointment_cancel(*, actor: User, appointment: Appointment, reason: str = "") -> Appointment:
    """The user, or the place's people, cancel a booking; the slot is free again."""
    locked = (
        Appointment.objects.select_for_update(no_key=True, of=("self",))
        .select_related("slot__station__region", "slot__institution__region", "user")
        .get(pk=appointment.pk)
    )
    if locked.user_id != actor.pk:
        slot = locked.slot
        if slot.station is not None:
            require_station(actor, slot.station)
        else:
            require_institution_person(actor, slot.institution_id or 0)
    if locked.cancelled_at is not None:
        raise InvalidTransition(_("This appointment has already been cancelled."))
    if locked.slot.starts_at <= timezone.now():
        raise InvalidTransition(_("A past appointment cannot be cancelled."))
    reason = text(reason, field="reason", max_length=200, required=False)
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    place = _place(locked.slot)
    audit_record(
        actor=actor,
        action="fieldwork.appointment_cancel",
        obj=locked,
        region=place.region,
        changes={"slot": locked.slot_id, "by_user": locked.user_id == actor.pk, "reason": reason},
    )
    when = timezone.localtime(locked.slot.starts_at).strftime("%Y-%m-%d %H:%M")
    title = gettext("Appointment cancelled: %(place)s, %(when)s") % {"place": place, "when": when}
    if locked.user_id == actor.pk:
        recipients = place_people(station=locked.slot.station, institution=locked.slot.institution)
    else:
        recipients = [locked.user]
    notify(
        recipients=recipients,
        kind="fieldwork.appointment_cancelled",
        title=title,
        body=reason,
        url=reverse("fieldwork:my_appointments") if locked.user_id != actor.pk else "",
    )
    return locked
