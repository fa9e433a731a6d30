"""Supervision pages: the supervisors' corrective actions (workbench), the
target's own actions with the evidence form, reviews of important service
items, and the public explanation of credit grades."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onestop.accounts.authz import Perm
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.supervision import credit, rules, selectors, services
from onestop.supervision.forms import (
    ActionFilterForm,
    ActionForm,
    CancelForm,
    EvidenceForm,
    MarkItemForm,
    RejectForm,
    ReviewForm,
    VerifyForm,
)
from onestop.supervision.models import CorrectiveAction
from onestop.workbench.access import staff_view

PAGE_SIZE = 20


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- supervisors: corrective actions ----------------------------------------------------------


@staff_view(Perm.SUPERVISE)
def action_list(request: AuthenticatedRequest) -> HttpResponse:
    """Corrective actions of my regions, newest first, by state, overdue and target kind."""
    form = ActionFilterForm(request.GET or None)
    filters = selectors.ActionFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ActionFilter(
            state=data.get("state") or "",
            target_kind=data.get("target_kind") or "",
            overdue_only=bool(data.get("overdue")),
        )
    actions = selectors.actions_for_staff(user=request.user, filters=filters)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/action_list.html",
        {"form": form, "page": page, "query": _query_without_page(request)},
    )


def _action_input(form: ActionForm) -> services.ActionInput:
    data = form.cleaned_data
    kind = data["target_kind"]
    return services.ActionInput(
        target_kind=kind,
        institution=data.get("institution") if kind == "institution" else None,
        station=data.get("station") if kind == "station" else None,
        staff_member=data.get("staff_username") if kind == "staff" else None,
        source_kind=data["source_kind"],
        source_text=data.get("source_text") or "",
        complaint=data.get("complaint"),
        rectification_case=data.get("rectification_case"),
        inspection_reference=data.get("inspection_reference") or "",
        problem=data["problem"],
        requirement=data["requirement"],
        due_on=data.get("due_on"),
        due_working_days=data.get("due_working_days"),
    )


@staff_view(Perm.SUPERVISE)
@require_http_methods(["GET", "POST"])
def action_new(request: AuthenticatedRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    for name in ("complaint", "rectification_case", "source_kind", "target_kind"):
        if request.GET.get(name):
            initial[name] = request.GET[name]
    form = ActionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        action = run_service(
            form,
            lambda: services.corrective_action_issue(actor=request.user, data=_action_input(form)),
            fields={"staff_member": "staff_username"},
        )
        if action is not None:
            messages.success(
                request, _("Corrective action %(number)s issued.") % {"number": action.number}
            )
            return HttpResponseRedirect(action.staff_url)
    status = 400 if form.errors else 200
    return render(request, "supervision/action_new.html", {"form": form}, status=status)


def _detail_context(action: CorrectiveAction) -> dict[str, Any]:
    return {
        "action": action,
        "events": list(action.events.all()),
        "today": timezone.localdate(),
    }


def _move_forms(action: CorrectiveAction) -> dict[str, Form | None]:
    """The supervisor's forms for the moves the action's state allows."""
    return {
        "verify_form": VerifyForm() if rules.can_verify(action) else None,
        "reject_form": RejectForm() if rules.can_reject(action) else None,
        "cancel_form": CancelForm() if rules.can_cancel(action) else None,
    }


@staff_view(Perm.SUPERVISE)
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "supervision/action_detail.html",
        {**_detail_context(action), **_move_forms(action)},
    )


_MOVES = {
    "verify": (VerifyForm, "verify_form"),
    "reject": (RejectForm, "reject_form"),
    "cancel": (CancelForm, "cancel_form"),
}


def _call_move(user: Any, action: CorrectiveAction, move: str, data: dict[str, Any]) -> Any:
    if move == "verify":
        return services.corrective_action_verify(
            actor=user, action=action, note=data.get("note", "")
        )
    if move == "reject":
        return services.corrective_action_reject_evidence(
            actor=user, action=action, reason=data["reason"], due_on=data.get("due_on")
        )
    return services.corrective_action_cancel(actor=user, action=action, reason=data["reason"])


@require_POST
@staff_view(Perm.SUPERVISE)
def action_move(request: AuthenticatedRequest, pk: int, move: str) -> HttpResponse:
    """Verify, send back or cancel: one of the supervisor's moves (rules.TRANSITIONS)."""
    if move not in _MOVES:
        raise Http404()
    action = selectors.action_for_staff(user=request.user, pk=pk)
    form_class, name = _MOVES[move]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(form, lambda: _call_move(request.user, action, move, data))
        if done is not None:
            messages.success(request, _("Saved: %(state)s.") % {"state": done.state_label})
            return HttpResponseRedirect(action.staff_url)
    forms = _move_forms(action)
    forms[name] = form
    return render(
        request,
        "supervision/action_detail.html",
        {**_detail_context(action), **forms},
        status=400,
    )


# --- the target --------------------------------------------------------------------------------


@login_required
def my_actions(request: AuthenticatedRequest) -> HttpResponse:
    """Corrective actions addressed to me, my institution or my station."""
    page = Paginator(selectors.actions_for_target(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "supervision/my_actions.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = selectors.action_for_target(user=request.user, pk=pk)
    form = None
    if rules.can_submit(action):
        form = EvidenceForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            done = run_service(
                form,
                lambda: services.corrective_action_submit_evidence(
                    actor=request.user,
                    action=action,
                    evidence=data["evidence"],
                    uploads=data.get("attachments") or [],
                ),
            )
            if done is not None:
                messages.success(request, _("Your evidence was submitted for verification."))
                return HttpResponseRedirect(action.target_url)
    elif request.method == "POST":
        return render(
            request,
            "supervision/my_action_detail.html",
            {**_detail_context(action), "form": None, "closed": True},
            status=409,
        )
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "supervision/my_action_detail.html",
        {**_detail_context(action), "form": form},
        status=status,
    )


# --- important items and their reviews (HM 5.4) ---------------------------------------------


@staff_view(Perm.SUPERVISE)
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    """Reviews of my regions, newest first, and the important items not yet
    reviewed this quarter."""
    page = Paginator(selectors.reviews_for_staff(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    start, end = selectors.quarter_of(timezone.localdate())
    return render(
        request,
        "supervision/review_list.html",
        {
            "page": page,
            "unreviewed": selectors.important_items_unreviewed(user=request.user),
            "quarter_start": start,
            "quarter_end": end,
        },
    )


@staff_view(Perm.SUPERVISE)
@require_http_methods(["GET", "POST"])
def review_new(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    start, _end = selectors.quarter_of(today)
    initial: dict[str, Any] = {"period_start": start, "period_end": today}
    if request.GET.get("item", "").isdigit():
        initial["item"] = int(request.GET["item"])
    form = ReviewForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = data["item"]
        review = run_service(
            form,
            lambda: services.item_review_record(
                actor=request.user,
                data=services.ReviewInput(
                    region=item.region,
                    service_item=item.service_item,
                    offering=item.offering,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    findings=data["findings"],
                    rating=data["rating"],
                    effectiveness=data["effectiveness"],
                    corrective_actions=list(data.get("corrective_actions") or []),
                ),
            ),
            fields={"service_item": "item"},
        )
        if review is not None:
            messages.success(request, _("The review was recorded."))
            return HttpResponseRedirect(reverse("supervision:review", kwargs={"pk": review.pk}))
    status = 400 if form.errors else 200
    return render(request, "supervision/review_new.html", {"form": form}, status=status)


@staff_view(Perm.SUPERVISE)
def review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = selectors.review_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "supervision/review_detail.html",
        {"review": review, "actions": list(review.corrective_actions.all())},
    )


@staff_view(Perm.SUPERVISE)
@require_http_methods(["GET", "POST"])
def important_items(request: AuthenticatedRequest) -> HttpResponse:
    """The important items of my regions, and the form to mark another."""
    form = MarkItemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = run_service(
            form,
            lambda: services.important_item_mark(
                actor=request.user,
                region=data["region"],
                service_item=data.get("service_item"),
                offering=data.get("offering"),
                note=data.get("note") or "",
            ),
        )
        if item is not None:
            messages.success(request, _("Marked as important."))
            return HttpResponseRedirect(request.path)
    status = 400 if form.errors else 200
    return render(
        request,
        "supervision/important_items.html",
        {"form": form, "items": list(selectors.important_items(user=request.user))},
        status=status,
    )


@require_POST
@staff_view(Perm.SUPERVISE)
def important_item_unmark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.important_items(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404()
    services.important_item_unmark(actor=request.user, item=item)
    messages.success(request, _("No longer marked as important."))
    return HttpResponseRedirect(reverse("supervision:important_items"))


# --- public ------------------------------------------------------------------------------------


def credit_explained(request: HttpRequest) -> HttpResponse:
    """How credit grades are computed (public)."""
    return render(
        request,
        "supervision/credit.html",
        {
            "weights": [
                (str(label), credit.WEIGHTS[name])
                for name, label in credit.COMPONENT_LABELS.items()
            ],
            "thresholds": credit.THRESHOLDS,
            "credit": credit,
        },
    )
