"""What reaches the staff off the platform (WX 7.2.2.1, HM 4.3.2): a demand
received by phone, at the counter, by letter or on a visit, and the
enterprise visits recorded per station."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.demands import selectors, services
from onestop.demands.forms import NEED_FIELD_NAMES, RegisterForm, VisitFilterForm, VisitForm
from onestop.demands.views._common import HANDLE, PAGE_SIZE, query_without_page
from onestop.workbench.access import staff_view

# --- registering ---------------------------------------------------------------------------


@staff_view(HANDLE)
def register(request: AuthenticatedRequest) -> HttpResponse:
    """A demand received by phone, at the counter, by letter or on a visit
    (WX 7.2.2.1.1, HM 4.3.2.3)."""
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    if visit_id and str(visit_id).isdigit():
        visit = selectors.visit_for_staff(user=request.user, visit_id=int(visit_id))
    initial: dict[str, Any] = {}
    if visit is not None:
        initial = {
            "visit": visit.pk,
            "source": "visit",
            "prospect_name": visit.prospect_name,
            "enterprise_uscc": visit.enterprise.uscc if visit.enterprise else "",
            "station": visit.station_id,
            "region": (visit.enterprise.region_id if visit.enterprise else visit.station.region_id),
        }
    form = RegisterForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demand = run_service(
            form,
            lambda: services.demand_register(
                actor=request.user,
                requester=data.get("requester_mobile"),
                enterprise=data.get("enterprise_uscc"),
                prospect_name=data.get("prospect_name", ""),
                contact_name=data["contact_name"],
                contact_phone=data.get("contact_phone", ""),
                contact_method=data["contact_method"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region=data["region"],
                source=data["source"],
                station=data.get("station"),
                visit=visit,
                desired_date=data.get("desired_date"),
            ),
            fields={"requester": "requester_mobile", "visit": "source"},
        )
        if demand is not None:
            messages.success(
                request, _("Demand %(number)s registered.") % {"number": demand.number}
            )
            return HttpResponseRedirect(demand.staff_url)
    return render(
        request,
        "demands/manage/register.html",
        {"form": form, "visit": visit},
        status=400 if request.method == "POST" else 200,
    )


# --- visits --------------------------------------------------------------------------------


@staff_view(HANDLE)
def visits(request: AuthenticatedRequest) -> HttpResponse:
    """Enterprise visits recorded per station (WX 7.2.2.1.2, HM 4.3.2.2)."""
    filters = VisitFilterForm(request.GET or None, user=request.user)
    station = filters.cleaned_data.get("station") if filters.is_valid() else None
    paginator = Paginator(selectors.visits_for(user=request.user, station=station), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = query_without_page(request)
    return render(
        request,
        "demands/manage/visits.html",
        {"filters": filters, "page": page, "visits": page.object_list, "query": query},
    )


@staff_view(HANDLE)
def visit_new(request: AuthenticatedRequest) -> HttpResponse:
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        need = form.need()
        if not form.errors:
            visit = run_service(
                form,
                lambda: services.visit_record(
                    actor=request.user,
                    station=data["station"],
                    visited_on=data["visited_on"],
                    needs_found=data["needs_found"],
                    enterprise=data.get("enterprise_uscc"),
                    prospect_name=data.get("prospect_name", ""),
                    staff=list(data.get("staff") or []),
                    needs=[need] if need is not None else [],
                ),
                fields=NEED_FIELD_NAMES if need is not None else None,
            )
            if visit is not None:
                messages.success(request, _("Visit recorded."))
                return HttpResponseRedirect(reverse("demands:manage_visit", args=[visit.pk]))
    return render(
        request,
        "demands/manage/visit_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(HANDLE)
def visit_detail(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_for_staff(user=request.user, visit_id=visit_id)
    return render(
        request,
        "demands/manage/visit.html",
        {"visit": visit, "demands": list(visit.demands.all()), "staff": list(visit.staff.all())},
    )
