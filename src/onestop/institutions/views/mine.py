"""The enterprise's own institution (WX 7.1.2): its state, applying to
onboard, adding or renewing certificates, and its offerings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.institutions import agreement, selectors, services
from onestop.institutions.forms import (
    InstitutionForm,
    OfferingForm,
    QualificationAddForm,
    QualificationFormSet,
    filled,
    offering_initial,
)
from onestop.institutions.models import Institution

MINE = "institutions:mine"


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """My enterprise's institution: its state, certificates and offerings."""
    view = selectors.my_institution(user=request.user)
    today = view.today if view else timezone.localdate()
    can_apply = (
        view is not None and services.apply_refusal(view.membership, view.institution) is None
    )
    return render(
        request,
        "institutions/mine.html",
        {
            "view": view,
            "institution": view.institution if view else None,
            "today": today,
            "warn_until": today + dt.timedelta(days=services.EXPIRY_WARNING_DAYS),
            "can_apply": can_apply,
            "warning_days": services.EXPIRY_WARNING_DAYS,
        },
    )


def _apply_initial(institution: Institution | None) -> dict[str, Any]:
    if institution is None:
        return {}
    return {
        "kind": institution.kind,
        "name": institution.name,
        "description": institution.description,
        "address": institution.address,
        "service_phone": institution.service_phone,
    }


@login_required
def apply(request: AuthenticatedRequest) -> HttpResponse:
    """Apply to onboard the enterprise as a service institution (WX 7.1.2)."""
    membership, previous = services.check_can_apply(actor=request.user)
    form = InstitutionForm(request.POST or None, initial=_apply_initial(previous))
    formset = QualificationFormSet(request.POST or None, request.FILES or None, prefix="q")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = filled(formset)
        try:
            services.institution_apply(
                actor=request.user,
                details=form.details(),
                qualifications=[row.to_input() for row in rows],
                agreement_version=form.cleaned_data.get("agreement_version") or "",
                agreement_accepted=bool(form.cleaned_data.get("agreement")),
            )
        except services.QualificationError as exc:
            row = rows[exc.index]
            row.add_error(exc.field if exc.field in row.fields else None, exc.message)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(
                request, _("Submitted. The service center will reply within 3 working days.")
            )
            return HttpResponseRedirect(reverse(MINE))
    last_decision = (
        previous.status_changes.filter(to_status=previous.status).first()
        if previous is not None
        else None
    )
    return render(
        request,
        "institutions/apply.html",
        {
            "form": form,
            "formset": formset,
            "agreement": agreement.CURRENT,
            "enterprise": membership.enterprise,
            "previous": previous,
            "last_decision": last_decision,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def qualification_new(request: AuthenticatedRequest) -> HttpResponse:
    """Add a certificate, or renew one, after onboarding."""
    institution = selectors.own_institution(user=request.user)
    services.require_onboarded(institution)
    initial: dict[str, Any] = {}
    renew_id = request.GET.get("renew", "")
    if renew_id.isdigit():
        old = selectors.own_qualification(institution=institution, qualification_id=int(renew_id))
        initial = {"renews": old.pk, "kind": old.kind, "scope": old.scope, "issuer": old.issuer}
    form = QualificationAddForm(
        request.POST or None, request.FILES or None, institution=institution, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.qualification_add(
                actor=request.user,
                institution=institution,
                data=form.to_input(),
                replaces=form.cleaned_data.get("renews"),
            ),
        )
        if done is not None:
            messages.success(request, _("Certificate added."))
            return HttpResponseRedirect(reverse(MINE))
    return render(
        request,
        "institutions/qualification_form.html",
        {"form": form, "institution": institution},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def offering_new(request: AuthenticatedRequest) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    services.require_active(institution)
    form = OfferingForm(request.POST or None, institution=institution)
    if request.method == "POST" and form.is_valid():
        offering = run_service(
            form,
            lambda: services.offering_create(
                actor=request.user, institution=institution, data=form.to_input()
            ),
        )
        if offering is not None:
            messages.success(request, _("Offering published."))
            return HttpResponseRedirect(reverse(MINE))
    return render(
        request,
        "institutions/offering_form.html",
        {"form": form, "institution": institution, "offering": None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def offering_edit(request: AuthenticatedRequest, offering_id: int) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    offering = selectors.own_offering(institution=institution, offering_id=offering_id)
    services.require_active(institution)
    form = OfferingForm(
        request.POST or None, institution=institution, initial=offering_initial(offering)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.offering_update(
                actor=request.user, offering=offering, data=form.to_input()
            ),
        )
        if done is not None:
            messages.success(request, _("Offering saved."))
            return HttpResponseRedirect(reverse(MINE))
    return render(
        request,
        "institutions/offering_form.html",
        {"form": form, "institution": institution, "offering": offering},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def offering_withdraw(request: AuthenticatedRequest, offering_id: int) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    offering = selectors.own_offering(institution=institution, offering_id=offering_id)
    services.offering_withdraw(actor=request.user, offering=offering)
    messages.success(request, _("Offering withdrawn."))
    return HttpResponseRedirect(reverse(MINE))


@require_POST
@login_required
def offering_publish(request: AuthenticatedRequest, offering_id: int) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    offering = selectors.own_offering(institution=institution, offering_id=offering_id)
    services.offering_publish(actor=request.user, offering=offering)
    messages.success(request, _("Offering published."))
    return HttpResponseRedirect(reverse(MINE))
