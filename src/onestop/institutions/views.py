from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.core.pagecache import public_page
from onestop.institutions import agreement, selectors, services
from onestop.institutions.forms import (
    DirectoryFilter,
    InstitutionForm,
    OfferingForm,
    QualificationAddForm,
    QualificationFormSet,
    ReasonForm,
    StatusAction,
    SupervisionFilter,
    filled,
    offering_initial,
)
from onestop.institutions.models import Institution, InstitutionKind, InstitutionStatus
from onestop.regions import selectors as region_selectors
from onestop.supervision.credit import component_rows
from onestop.workbench.access import staff_view

PAGE_SIZE = 20
MINE = "institutions:mine"

# --- public pages (WX 7.1.2, 7.2.1) ------------------------------------------------


@public_page
def institution_list(request: HttpRequest) -> HttpResponse:
    """Onboarded institutions, by kind and region, a page at a time."""
    form = DirectoryFilter(request.GET or None)
    kind, region = "", None
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        code = form.cleaned_data["region"].strip()
        region = region_selectors.region_get(code=code) if code else None
    institutions = selectors.institutions_public(kind=kind, region=region)
    page = Paginator(institutions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "institutions/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "kind": kind,
            "region": region,
            "kinds": InstitutionKind.choices,
            "region_choices": region_selectors.region_choices(),
        },
    )


@public_page
def institution_detail(request: HttpRequest, institution_id: int) -> HttpResponse:
    page = selectors.institution_page_public(institution_id=institution_id)
    grade = page.credit_grade
    return render(
        request,
        "institutions/detail.html",
        {
            "page": page,
            "institution": page.institution,
            "today": page.today,
            "credit_grade": grade,
            "credit_rows": component_rows(grade.components) if grade is not None else [],
        },
    )


@public_page
def offering_detail(request: HttpRequest, offering_id: int) -> HttpResponse:
    offering = selectors.offering_page_public(offering_id=offering_id)
    qualification = offering.qualification
    today = timezone.localdate()
    return render(
        request,
        "institutions/offering.html",
        {
            "offering": offering,
            "institution": offering.institution,
            "qualification_expired": qualification is not None
            and not qualification.is_valid_on(today),
        },
    )


# --- the enterprise's own institution ------------------------------------------------


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


# --- the service center (WX 7.1.2: review within 3 working days) ------------------------


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
