"""The institution's pages: complaints forwarded to it, and one of them with
the response form. Built from selectors.institution_view, which carries no
identity of a complainant who asked not to be named to the institution."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from onestop.complaints import rules, selectors
from onestop.complaints.forms import ActionForm
from onestop.complaints.selectors import SIDE_INSTITUTION, SIDE_PARTIES
from onestop.complaints.views.common import act as run_act
from onestop.complaints.views.common import page_of
from onestop.core.http import AuthenticatedRequest

RESPOND = rules.rules_for("respond")[0]


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Complaints the service center forwarded to my institution, newest first."""
    institution = selectors.institution_of(user=request.user)
    page = page_of(request, selectors.institution_queue(institution=institution))
    return render(
        request, "complaints/institution/queue.html", {"institution": institution, "page": page}
    )


def _detail(
    request: AuthenticatedRequest, number: str, bound: dict[str, Any], status: int
) -> HttpResponse:
    view = selectors.institution_view(user=request.user, number=number)
    form = bound.get("respond") or ActionForm(rule=RESPOND, party=rules.Party.INSTITUTION)
    return render(
        request,
        "complaints/institution/detail.html",
        {"view": view, "form": form if view.can_respond else None, "bound": bound},
        status=status,
    )


@login_required
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _detail(request, number, {}, 200)


@require_POST
@login_required
def respond(request: AuthenticatedRequest, number: str) -> HttpResponse:
    complaint = selectors.complaint_for_institution(user=request.user, number=number)
    sides = SIDE_PARTIES[SIDE_INSTITUTION]
    return run_act(
        request,
        complaint=complaint,
        action="respond",
        sides=sides,
        held=selectors.parties_of(request.user, complaint, sides),
        render=lambda bound, status: _detail(request, number, bound, status),
        back=complaint.institution_url,
    )
