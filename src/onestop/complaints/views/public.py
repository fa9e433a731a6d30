"""The complainant's pages: the complaint form (WX 7.4.2 online channel), my
complaints, and my complaint's timeline with withdraw / close / reopen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.complaints import selectors, services
from onestop.complaints.forms import ComplaintForm
from onestop.complaints.models import Target
from onestop.complaints.selectors import SIDE_COMPLAINANT, SIDE_PARTIES
from onestop.complaints.views.common import act as run_act
from onestop.complaints.views.common import action_forms, orphan_errors, page_of
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest


def _initial(request: AuthenticatedRequest) -> dict[str, Any]:
    """A link from an order, institution or station page preselects it; an
    order that is not the user's is "not found"."""
    initial: dict[str, Any] = {"target": Target.PLATFORM}
    number = request.GET.get("order", "")
    if number:
        order = selectors.my_order(user=request.user, number=number)
        return {"order": order.number, "target": Target.INSTITUTION}
    for name in ("institution", "station"):
        raw = request.GET.get(name, "")
        if raw.isdigit():
            return {"target": name, name: int(raw)}
    return initial


@login_required
def new(request: AuthenticatedRequest) -> HttpResponse:
    """File a complaint. Never anonymous to the service center."""
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        institutions=selectors.institution_options(),
        stations=selectors.station_options(),
        orders=selectors.my_orders(user=request.user),
        enterprises=selectors.my_enterprises(user=request.user),
        initial=_initial(request) if request.method == "GET" else None,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            order = (
                selectors.my_order(user=request.user, number=data["order"])
                if data.get("order")
                else None
            )
            complaint = run_service(
                form,
                lambda: services.complaint_file(
                    user=request.user,
                    target=data["target"],
                    complaint_type=data["type"],
                    content=data["content"],
                    request=data["request"],
                    institution_id=data.get("institution"),
                    station_id=data.get("station"),
                    order=order,
                    enterprise=form.chosen_enterprise(),
                    anonymous_to_institution=data["anonymous_to_institution"],
                    attachments=data.get("attachments") or [],
                ),
            )
            if complaint is not None:
                messages.success(
                    request,
                    _(
                        "Your complaint has been received under number %(number)s. "
                        "It will be investigated within 7 working days."
                    )
                    % {"number": complaint.number},
                )
                return HttpResponseRedirect(complaint.get_absolute_url())
    return render(request, "complaints/new.html", {"form": form}, status=status)


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """My complaints, newest first, a page at a time."""
    page = page_of(request, selectors.complaints_of_user(request.user))
    return render(request, "complaints/mine.html", {"page": page})


def _detail(
    request: AuthenticatedRequest, number: str, bound: dict[str, Any], status: int
) -> HttpResponse:
    page = selectors.complainant_page(user=request.user, number=number, now=timezone.now())
    return render(
        request,
        "complaints/detail.html",
        {
            "page": page,
            "complaint": page.complaint,
            "action_forms": action_forms(page.actions, bound),
            "act_url": "complaints:act",
            "orphan_errors": orphan_errors(bound, (rule.action for rule, _p in page.actions)),
            "notes_shown": selectors.NOTES_FOR_COMPLAINANT,
        },
        status=status,
    )


@login_required
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """My complaint: its progress, what was decided, and my next steps."""
    return _detail(request, number, {}, 200)


@require_POST
@login_required
def act(request: AuthenticatedRequest, number: str, action: str) -> HttpResponse:
    complaint = selectors.complaint_of_complainant(user=request.user, number=number)
    sides = SIDE_PARTIES[SIDE_COMPLAINANT]
    return run_act(
        request,
        complaint=complaint,
        action=action,
        sides=sides,
        held=selectors.parties_of(request.user, complaint, sides),
        render=lambda bound, status: _detail(request, number, bound, status),
        back=complaint.get_absolute_url(),
    )
