from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import InvalidInput
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.regions import selectors as region_selectors
from onestop.regions.models import Profile
from onestop.stations import selectors, services
from onestop.stations.forms import HoursFormSet, StationForm, station_initial
from onestop.web.region import current_region
from onestop.workbench.access import staff_view

# --- public pages (WX 4.2.4, LZ 6.1.5) ------------------------------------------


def station_list(request: HttpRequest) -> HttpResponse:
    """Stations serving the visitor's region (or the one chosen), by tier."""
    code = request.GET.get("region", "").strip()
    region = region_selectors.region_get(code=code) if code else current_region(request)
    return render(
        request,
        "stations/list.html",
        {
            "region": region,
            "groups": selectors.station_groups_public(region=region),
            "region_choices": region_selectors.region_choices(),
        },
    )


def station_detail(request: HttpRequest, station_id: int) -> HttpResponse:
    page = selectors.station_page_public(station_id=station_id)
    return render(
        request,
        "stations/detail.html",
        {
            "page": page,
            "station": page.station,
            "weekdays": WEEKDAYS,
            "unified_sign": page.profile == Profile.WX,
        },
    )


# --- workbench ------------------------------------------------------------------


@staff_view(authz.Perm.STATION_MANAGE)
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "stations/manage_list.html",
        {"stations": list(selectors.stations_managed(user=request.user))},
    )


@staff_view(authz.Perm.STATION_MANAGE)
def manage_create(request: AuthenticatedRequest) -> HttpResponse:
    form = StationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        station = run_service(
            form,
            lambda: services.station_create(
                actor=request.user,
                region=form.cleaned_data["region"],
                tier=form.cleaned_data["tier"],
                details=form.details(),
            ),
        )
        if station is not None:
            messages.success(request, _("Station saved."))
            return HttpResponseRedirect(reverse("stations:manage_edit", args=[station.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "stations/manage_form.html", {"form": form, "station": None}, status=status
    )


@staff_view(authz.Perm.STATION_MANAGE)
def manage_edit(request: AuthenticatedRequest, station_id: int) -> HttpResponse:
    station = selectors.station_get_managed(user=request.user, station_id=station_id)
    form = StationForm(
        request.POST or None, user=request.user, editing=station, initial=station_initial(station)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.station_update(
                actor=request.user, station=station, details=form.details()
            ),
        )
        if done is not None:
            messages.success(request, _("Station saved."))
            return HttpResponseRedirect(reverse("stations:manage_edit", args=[station.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "stations/manage_form.html",
        {
            "form": form,
            "station": station,
            "staff": selectors.station_staff_of(station),
            "hours": selectors.opening_hours_of(station),
            "weekdays": WEEKDAYS,
        },
        status=status,
    )


@staff_view(authz.Perm.STATION_MANAGE)
def manage_hours(request: AuthenticatedRequest, station_id: int) -> HttpResponse:
    """Weekly opening blocks, extended and staggered ones included (WX 5.3 d)."""
    station = selectors.station_get_managed(user=request.user, station_id=station_id)
    initial = [
        {"weekday": h.weekday, "opens": h.opens, "closes": h.closes, "kind": h.kind, "note": h.note}
        for h in selectors.opening_hours_of(station)
    ]
    formset = HoursFormSet(request.POST or None, initial=initial, prefix="hours")
    error = ""
    if request.method == "POST" and formset.is_valid():
        blocks = [
            form.block()
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.opening_hours_set(actor=request.user, station=station, hours=blocks)
        except InvalidInput as exc:
            error = exc.message
        else:
            messages.success(request, _("Opening hours saved."))
            return HttpResponseRedirect(reverse("stations:manage_edit", args=[station.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "stations/manage_hours.html",
        {"formset": formset, "station": station, "error": error},
        status=status,
    )


@require_POST
@staff_view(authz.Perm.STATION_MANAGE)
def manage_close(request: AuthenticatedRequest, station_id: int) -> HttpResponse:
    station = selectors.station_get_managed(user=request.user, station_id=station_id)
    services.station_close(actor=request.user, station=station)
    messages.success(request, _("Station closed."))
    return HttpResponseRedirect(reverse("stations:manage_list"))
