"""Appointments (WX 5.2 b 3): the public's free slots and booking, the
user's own appointments, and the staff's day view and slot generation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.fieldwork import selectors, services
from onestop.fieldwork.forms import BookForm, CancelForm, DayForm, SlotsGenerateForm
from onestop.fieldwork.views._common import status_for
from onestop.workbench.access import staff_view

PERM = authz.Perm.FIELDWORK_HANDLE

# --- public and the user ----------------------------------------------------------------


def station_slots(request: HttpRequest, station_id: int) -> HttpResponse:
    """A station's free slots for the next 14 days; anyone may look."""
    station = selectors.station_public(station_id=station_id)
    slots = selectors.free_slots(station=station)
    return render(
        request,
        "fieldwork/free_slots.html",
        {"place": station, "days": selectors.by_day(slots), "kind": "station"},
    )


def institution_slots(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution = selectors.institution_public(institution_id=institution_id)
    slots = selectors.free_slots(institution=institution)
    return render(
        request,
        "fieldwork/free_slots.html",
        {"place": institution, "days": selectors.by_day(slots), "kind": "institution"},
    )


@login_required
def book(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    """Confirm and book one slot, optionally for one of my running orders."""
    slot = selectors.slot_bookable(slot_id=slot_id)
    orders = list(selectors.open_orders_of(user=request.user))
    form = BookForm(request.POST or None, orders=orders)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("order")
        order = next((o for o in orders if o.pk == chosen), None)
        appointment = run_service(
            form,
            lambda: services.appointment_book(
                user=request.user, slot=slot, order=order, note=form.cleaned_data.get("note", "")
            ),
        )
        if appointment is not None:
            messages.success(request, _("Your appointment is booked."))
            return HttpResponseRedirect(reverse("fieldwork:my_appointments"))
    place = slot.station or slot.institution
    return render(
        request,
        "fieldwork/book.html",
        {
            "slot": slot,
            "place": place,
            "form": form,
            "past": slot.starts_at <= timezone.now(),
        },
        status=status_for(request),
    )


@login_required
def my_appointments(request: AuthenticatedRequest) -> HttpResponse:
    appointments = list(selectors.appointments_of(user=request.user)[:200])
    now = timezone.now()
    return render(
        request,
        "fieldwork/my_appointments.html",
        {
            "upcoming": [
                a for a in appointments if a.slot.starts_at > now and a.cancelled_at is None
            ],
            "others": [
                a for a in appointments if a.slot.starts_at <= now or a.cancelled_at is not None
            ],
        },
    )


@require_POST
@login_required
def appointment_cancel(request: AuthenticatedRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_of_user(user=request.user, appointment_id=appointment_id)
    try:
        services.appointment_cancel(actor=request.user, appointment=appointment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment cancelled; the time is free for others again."))
    return HttpResponseRedirect(reverse("fieldwork:my_appointments"))


# --- staff (a station's slots) -----------------------------------------------------------


@staff_view(PERM)
def staff_slots(request: AuthenticatedRequest) -> HttpResponse:
    """One station's slots on one day with who booked them."""
    stations = list(selectors.stations_handled(user=request.user))
    initial = {"station": stations[0].pk if stations else None, "day": timezone.localdate()}
    form = DayForm(request.GET or None, stations=stations, initial=initial)
    station, day = None, timezone.localdate()
    if form.is_bound and form.is_valid():
        station = form.cleaned_data["station"]
        day = form.cleaned_data.get("day") or day
    elif not form.is_bound and stations:
        station = stations[0]
    slots = selectors.station_day(station=station, day=day) if station is not None else []
    return render(
        request,
        "fieldwork/day_slots.html",
        {
            "form": form,
            "station": station,
            "day": day,
            "slots": slots,
            "side": "staff",
            "base": "workbench/base.html",
            "now": timezone.now(),
        },
    )


@staff_view(PERM)
def staff_slots_new(request: AuthenticatedRequest) -> HttpResponse:
    stations = list(selectors.stations_handled(user=request.user))
    initial = {"station": stations[0].pk} if len(stations) == 1 else {}
    form = SlotsGenerateForm(request.POST or None, stations=stations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slots = run_service(
            form,
            lambda: services.slots_generate(
                actor=request.user,
                station=data["station"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                day_starts=data["day_starts"],
                day_ends=data["day_ends"],
                minutes=data["minutes"],
                purpose=data["purpose"],
            ),
        )
        if slots is not None:
            messages.success(request, _("%(count)s slots created.") % {"count": len(slots)})
            url = reverse("fieldwork:slots")
            return HttpResponseRedirect(
                f"{url}?station={data['station'].pk}&day={data['first_day']:%Y-%m-%d}"
            )
    return render(
        request,
        "fieldwork/slots_form.html",
        {"form": form, "side": "staff", "base": "workbench/base.html"},
        status=status_for(request),
    )


@require_POST
@staff_view(PERM)
def staff_slot_delete(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    slot = selectors.slot_for_staff(user=request.user, slot_id=slot_id)
    day = timezone.localtime(slot.starts_at).date()
    back = reverse("fieldwork:slots") + f"?station={slot.station_id}&day={day:%Y-%m-%d}"
    try:
        services.slot_delete(actor=request.user, slot=slot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Slot deleted."))
    return HttpResponseRedirect(back)


@require_POST
@staff_view(PERM)
def staff_appointment_cancel(request: AuthenticatedRequest, appointment_id: int) -> HttpResponse:
    appointment = selectors.appointment_for_staff(user=request.user, appointment_id=appointment_id)
    form = CancelForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    day = timezone.localtime(appointment.slot.starts_at).date()
    back = reverse("fieldwork:slots") + f"?station={appointment.slot.station_id}&day={day:%Y-%m-%d}"
    try:
        services.appointment_cancel(actor=request.user, appointment=appointment, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment cancelled; the user has been told."))
    return HttpResponseRedirect(back)
