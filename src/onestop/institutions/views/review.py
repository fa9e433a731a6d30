"""The service center's side (WX 7.1.2): reviewing applications within 3
working days, and suspending, reinstating or marking onboarded
institutions as exited, each with its public reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.institutions import selectors, services
from onestop.institutions.forms import ReasonForm, StatusAction, SupervisionFilter
from onestop.institutions.models import Institution, InstitutionStatus
from onestop.workbench.access import staff_view


@staff_view(authz.Perm.INSTITUTION_REVIEW)
def review_queue(request: AuthenticatedRequest) -> HttpResponse:
    """Applications awaiting review (oldest first, with their deadline), and
    onboarded institutions by status for suspension and exit."""
    filters = SupervisionFilter(request.GET or None)
    status = InstitutionStatus.ACTIVE.value
    if filters.is_valid() and filters.cleaned_data["status"]:
        status = filters.cleaned_data["status"]
    return render(
        request,
        "institutions/review_queue.html",
        {
            "applications": list(selectors.review_queue(user=request.user)[:200]),
            "supervised": list(
                selectors.institutions_supervised(user=request.user, status=status)[:200]
            ),
            "status": InstitutionStatus(status),
            "filters": filters,
            "now": timezone.now(),
        },
    )


def _review_page(
    request: AuthenticatedRequest,
    institution: Institution,
    *,
    decision_form: ReasonForm | None = None,
    status_form: StatusAction | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "institutions/review.html",
        {
            "institution": institution,
            "qualifications": list(institution.qualifications.all()),
            "offerings": list(institution.offerings.all()),
            "history": list(institution.status_changes.all()),
            "decision_form": decision_form or ReasonForm(),
            "status_form": status_form or StatusAction(),
            "can_decide": services.can_decide(institution),
            "can_suspend": services.can_suspend(institution),
            "can_reinstate": services.can_reinstate(institution),
            "can_exit": services.can_exit(institution),
            "today": today,
            "warn_until": today + dt.timedelta(days=services.EXPIRY_WARNING_DAYS),
            "now": timezone.now(),
        },
        status=status,
    )


@staff_view(authz.Perm.INSTITUTION_REVIEW)
def review(request: AuthenticatedRequest, institution_id: int) -> HttpResponse:
    institution = selectors.institution_for_reviewer(
        user=request.user, institution_id=institution_id
    )
    return _review_page(request, institution)


def _decide(
    request: AuthenticatedRequest,
    institution_id: int,
    decide: Callable[[Institution, str], object],
    done_message: str,
) -> HttpResponse:
    institution = selectors.institution_for_reviewer(
        user=request.user, institution_id=institution_id
    )
    form = ReasonForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        done = run_service(form, lambda: decide(institution, reason))
        if done is not None:
            messages.success(request, done_message)
            return HttpResponseRedirect(reverse("institutions:review_queue"))
    return _review_page(request, institution, decision_form=form, status=400)


@require_POST
@staff_view(authz.Perm.INSTITUTION_REVIEW)
def approve(request: AuthenticatedRequest, institution_id: int) -> HttpResponse:
    return _decide(
        request,
        institution_id,
        lambda institution, reason: services.institution_approve(
            reviewer=request.user, institution=institution, reason=reason
        ),
        _("Approved: the institution is now on the platform."),
    )


@require_POST
@staff_view(authz.Perm.INSTITUTION_REVIEW)
def reject(request: AuthenticatedRequest, institution_id: int) -> HttpResponse:
    return _decide(
        request,
        institution_id,
        lambda institution, reason: services.institution_reject(
            reviewer=request.user, institution=institution, reason=reason
        ),
        _("Not approved: the applicant has been told why."),
    )


@require_POST
@staff_view(authz.Perm.INSTITUTION_REVIEW)
def change_status(request: AuthenticatedRequest, institution_id: int) -> HttpResponse:
    """Suspend, reinstate or mark an institution as exited, with a public reason."""
    institution = selectors.institution_for_reviewer(
        user=request.user, institution_id=institution_id
    )
    form = StatusAction(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        reason = form.cleaned_data["reason"]
        service = {
            "suspend": services.institution_suspend,
            "reinstate": services.institution_reinstate,
            "exit": services.institution_exit,
        }[action]
        done = run_service(
            form, lambda: service(actor=request.user, institution=institution, reason=reason)
        )
        if done is not None:
            messages.success(request, _("Status changed and announced."))
            return HttpResponseRedirect(reverse("institutions:review", args=[institution.pk]))
    return _review_page(request, institution, status_form=form, status=400)
