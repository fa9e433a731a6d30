"""Workbench: follow-up visits due, overdue and upcoming; recording one
(HM 4.3.4.2, WX 7.2.2.2.4)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop.accounts import authz
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.fieldwork import selectors, services
from onestop.fieldwork.forms import FollowUpFilterForm, FollowUpRecordForm
from onestop.fieldwork.selectors import FollowUpView
from onestop.fieldwork.views._common import paginate, status_for
from onestop.workbench.access import staff_view

PERM = authz.Perm.FIELDWORK_HANDLE


@staff_view(PERM)
def follow_up_queue(request: AuthenticatedRequest) -> HttpResponse:
    stations = list(selectors.stations_handled(user=request.user))
    form = FollowUpFilterForm(request.GET or None, stations=stations)
    valid = form.is_valid()
    view = (form.cleaned_data.get("view") if valid else "") or FollowUpView.TODAY
    station = (form.cleaned_data.get("station") if valid else "") or ""
    today = timezone.localdate()
    follow_ups = selectors.follow_up_queue(
        user=request.user, view=view, station=station, today=today
    )
    page, query = paginate(request, follow_ups)
    return render(
        request,
        "fieldwork/follow_up_queue.html",
        {
            "form": form,
            "view": view,
            "station": station,
            "page": page,
            "query": query,
            "today": today,
            "counts": selectors.follow_up_counts(user=request.user, station=station, today=today),
        },
    )


@staff_view(PERM)
def follow_up_detail(request: AuthenticatedRequest, follow_up_id: int) -> HttpResponse:
    """The follow-up, and the form to record it while it is pending."""
    follow_up = selectors.follow_up_for_staff(user=request.user, follow_up_id=follow_up_id)
    form = FollowUpRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.follow_up_record(
                actor=request.user,
                follow_up=follow_up,
                method=data["method"],
                content=data["content"],
                outcome=data.get("outcome", ""),
                issues_found=data.get("issues_found", ""),
                issues_action=data.get("issues_action") or "",
                demand_title=data.get("demand_title", ""),
            ),
            # The new demand's own checks name its fields.
            fields={"description": "issues_found", "title": "demand_title"},
        )
        if done is not None:
            messages.success(request, _("Follow-up recorded."))
            return HttpResponseRedirect(reverse("fieldwork:follow_up", args=[follow_up.pk]))
    return render(
        request,
        "fieldwork/follow_up_detail.html",
        {"follow_up": follow_up, "form": form, "today": timezone.localdate()},
        status=status_for(request),
    )
