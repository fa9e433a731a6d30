"""One demand's page on the workbench (WX 7.2.2.2) and its actions: claim,
respond, refer outside the platform, record the docking, escalate and
close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import InvalidTransition
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.demands import explain, rules, selectors, services
from onestop.demands.forms import AssignForm, DockingForm, EscalateForm, ExternalForm, NoteForm
from onestop.demands.models import Demand
from onestop.demands.views._common import HANDLE, user_may_assign, user_may_handle
from onestop.workbench.access import staff_view


def _page(
    request: AuthenticatedRequest,
    demand: Demand,
    status: int = 200,
    revealed_phone: str = "",
    **forms: Any,
) -> HttpResponse:
    user = request.user
    may_handle = user_may_handle(user, demand)
    may_assign = user_may_assign(user, demand)
    recommendations = [(r, explain.staff_rows(r.explanation)) for r in demand.recommendations.all()]
    context = {
        "demand": demand,
        "revealed_phone": revealed_phone,
        "now": timezone.now(),
        "events": list(demand.events.all()),
        "clocks": selectors.clocks_of(demand),
        "attachments": list(demand.attachments.all()),
        "recommendations": recommendations,
        "docking": getattr(demand, "docking", None),
        "may_handle": may_handle,
        "can": {
            action: may_handle and rules.can(demand, action)
            for action in (
                "claim",
                "respond",
                "recommend",
                "refer",
                "record_docking",
                "close",
            )
        },
        "can_claim": may_handle and rules.can(demand, "claim") and demand.assigned_to_id is None,
        "can_escalate": authz.has_perm(user, HANDLE, demand.region)
        and rules.can(demand, "escalate")
        and demand.escalated_at is None,
        "assign_form": AssignForm(user=user)
        if may_assign and rules.can(demand, "assign")
        else None,
        "respond_form": forms.get("respond_form")
        or NoteForm(label=_("What was clarified with the user")),
        "external_form": forms.get("external_form") or ExternalForm(),
        "docking_form": forms.get("docking_form") or _docking_form(demand),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "close_form": forms.get("close_form") or NoteForm(label=_("Closing note")),
    }
    return render(request, "demands/manage/detail.html", context, status=status)


def _docking_form(demand: Demand) -> DockingForm:
    docking = getattr(demand, "docking", None)
    if docking is None:
        return DockingForm()
    return DockingForm(
        initial={
            "project": docking.project,
            "expected_start": docking.expected_start,
            "expected_end": docking.expected_end,
            "price": docking.price,
        }
    )


@staff_view(HANDLE)
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    demand = selectors.demand_for_staff(user=request.user, number=number)
    return _page(request, demand)


@require_POST
@staff_view(HANDLE)
def contact(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The page again with the contact number in full (audited)."""
    demand = selectors.demand_for_staff(user=request.user, number=number)
    phone = services.contact_reveal(actor=request.user, demand=demand, as_side="staff")
    return _page(request, demand, revealed_phone=phone)


def _act(
    request: AuthenticatedRequest,
    number: str,
    *,
    form_name: str,
    form: Any,
    call: Callable[[Demand, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A POST action on the demand page: parse, call the service, back to the page."""
    demand = selectors.demand_for_staff(user=request.user, number=number)
    if form.is_valid():
        result = run_service(form, lambda: call(demand, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return HttpResponseRedirect(demand.staff_url)
    fresh = selectors.demand_for_staff(user=request.user, number=number)
    return _page(request, fresh, status=400, **{form_name: form})


@require_POST
@staff_view(HANDLE)
def claim(request: AuthenticatedRequest, number: str) -> HttpResponse:
    demand = selectors.demand_for_staff(user=request.user, number=number)
    try:
        services.demand_claim(actor=request.user, demand=demand)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return _page(request, selectors.demand_for_staff(user=request.user, number=number), 409)
    messages.success(request, _("You are now responsible for this demand."))
    return HttpResponseRedirect(demand.staff_url)


@require_POST
@staff_view(HANDLE)
def respond(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="respond_form",
        form=NoteForm(request.POST, label=_("What was clarified with the user")),
        call=lambda d, data: services.demand_respond(
            actor=request.user, demand=d, note=data["note"]
        ),
        done=_("Response recorded; the response clock has stopped."),
    )


@require_POST
@staff_view(HANDLE)
def refer(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="external_form",
        form=ExternalForm(request.POST),
        call=lambda d, data: services.recommendation_add_external(
            actor=request.user,
            demand=d,
            name=data["external_name"],
            contact=data["external_contact"],
            note=data.get("note", ""),
        ),
        done=_("The user has been told about the institution outside the platform."),
    )


@require_POST
@staff_view(HANDLE)
def docking(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="docking_form",
        form=DockingForm(request.POST),
        call=lambda d, data: services.docking_record(
            actor=request.user,
            demand=d,
            project=data["project"],
            expected_start=data.get("expected_start"),
            expected_end=data.get("expected_end"),
            price=data.get("price"),
        ),
        done=_("Docking details saved."),
    )


@require_POST
@staff_view(HANDLE)
def escalate(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="escalate_form",
        form=EscalateForm(request.POST),
        call=lambda d, data: services.demand_escalate(
            actor=request.user, demand=d, reason=data["reason"]
        ),
        done=_("Escalated to the service center."),
    )


@require_POST
@staff_view(HANDLE)
def close(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="close_form",
        form=NoteForm(request.POST, label=_("Closing note")),
        call=lambda d, data: services.demand_close(actor=request.user, demand=d, note=data["note"]),
        done=_("Demand closed."),
    )
