"""Workbench pages: the complaint queue (region and station scoped), the
offline registration form (WX 7.4.2 phone / station / letter), and one
complaint with the forms of the moves the reader may make (WX 7.4.3)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts.authz import Perm
from onestop.complaints import selectors, services
from onestop.complaints.forms import QueueFilter, RegisterForm
from onestop.complaints.selectors import QUEUE_OPEN, SIDE_PARTIES, SIDE_STAFF
from onestop.complaints.views.common import act as run_act
from onestop.complaints.views.common import action_forms, orphan_errors, page_of
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.workbench.access import staff_view


@staff_view(Perm.COMPLAINT_REGISTER)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Complaints of my regions and stations, open ones by default, with the
    investigation deadline of each."""
    form = QueueFilter(request.GET or None)
    status = QUEUE_OPEN
    if form.is_valid():
        status = form.cleaned_data["status"] or QUEUE_OPEN
    page = page_of(request, selectors.staff_queue(user=request.user, status=status))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/manage/queue.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


@staff_view(Perm.COMPLAINT_REGISTER)
def register(request: AuthenticatedRequest) -> HttpResponse:
    """Register a complaint received by phone, at a station or by letter."""
    posted = request.method == "POST"
    form = RegisterForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        receiving=selectors.registering_stations(user=request.user),
        institutions=selectors.institution_options(),
        stations=selectors.station_options(),
        initial={"target": "institution"},
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            complaint = run_service(
                form,
                lambda: services.complaint_register(
                    actor=request.user,
                    channel=data["channel"],
                    received_at_station=data.get("received_at_station"),
                    complainant=data.get("complainant_mobile"),
                    complainant_name=data.get("complainant_name", ""),
                    complainant_phone=data.get("complainant_phone", ""),
                    target=data["target"],
                    complaint_type=data["type"],
                    content=data["content"],
                    request=data["request"],
                    institution_id=data.get("institution"),
                    station_id=data.get("station"),
                    anonymous_to_institution=data["anonymous_to_institution"],
                    attachments=data.get("attachments") or [],
                ),
            )
            if complaint is not None:
                messages.success(
                    request,
                    _("Complaint %(number)s registered. Tell the complainant this number.")
                    % {"number": complaint.number},
                )
                return HttpResponseRedirect(complaint.staff_url)
    return render(request, "complaints/manage/register.html", {"form": form}, status=status)


def _detail(
    request: AuthenticatedRequest, number: str, bound: dict[str, Any], status: int
) -> HttpResponse:
    page = selectors.staff_page(user=request.user, number=number, now=timezone.now())
    return render(
        request,
        "complaints/manage/detail.html",
        {
            "page": page,
            "complaint": page.complaint,
            "action_forms": action_forms(page.actions, bound),
            "act_url": "complaints:manage_act",
            "orphan_errors": orphan_errors(bound, (rule.action for rule, _p in page.actions)),
            "now": timezone.now(),
        },
        status=status,
    )


@staff_view(Perm.COMPLAINT_REGISTER)
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """Who complains (never hidden from the center), what, the timeline, the
    clocks, and a form for each move allowed now."""
    return _detail(request, number, {}, 200)


@require_POST
@staff_view(Perm.COMPLAINT_HANDLE)
def act(request: AuthenticatedRequest, number: str, action: str) -> HttpResponse:
    complaint = selectors.complaint_for_staff(user=request.user, number=number)
    sides = SIDE_PARTIES[SIDE_STAFF]
    return run_act(
        request,
        complaint=complaint,
        action=action,
        sides=sides,
        held=selectors.parties_of(request.user, complaint, sides),
        render=lambda bound, status: _detail(request, number, bound, status),
        back=complaint.staff_url,
    )
