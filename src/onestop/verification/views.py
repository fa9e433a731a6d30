from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.accounts.models import UserKind
from onestop.core import crypto
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.enterprises import selectors as enterprise_selectors
from onestop.verification import selectors, services
from onestop.verification.forms import EnterpriseForm, IndividualForm, NameChangeForm, RejectForm
from onestop.verification.models import Application, ApplicationKind, ApplicationStatus
from onestop.workbench.access import staff_view

# Document kinds, as the services name them, to the form fields carrying them.
UPLOAD_FIELDS = {
    "id_card": "id_card",
    "business_licence": "licence",
    "qualification_certificate": "qualification",
    "integrity_pledge": "pledge",
}
_KIND_ORDER = list(UPLOAD_FIELDS)

# --- the applicant's side ---------------------------------------------------


@login_required
def status(request: AuthenticatedRequest) -> HttpResponse:
    """My applications, their state and, when returned, the reasons (WX 7.1.1.5)."""
    applications = list(selectors.applications_of(user=request.user))
    membership = enterprise_selectors.membership_of(user=request.user)
    return render(
        request,
        "verification/status.html",
        {
            "applications": applications,
            "membership": membership,
            "is_individual": request.user.kind == UserKind.INDIVIDUAL,
            "is_enterprise": request.user.kind == UserKind.ENTERPRISE,
        },
    )


def _rejected(request: AuthenticatedRequest, kind: str) -> Application | None:
    return (
        selectors.applications_of(user=request.user)
        .filter(kind=kind, status=ApplicationStatus.REJECTED)
        .first()
    )


def _initial(previous: Application | None) -> dict[str, object]:
    return services.latest_payload(previous) if previous is not None else {}


def _submitted(request: AuthenticatedRequest) -> HttpResponse:
    messages.success(request, _("Submitted. The service center will reply within 3 working days."))
    return HttpResponseRedirect(reverse("verification:status"))


@login_required
def submit_individual(request: AuthenticatedRequest) -> HttpResponse:
    previous = _rejected(request, ApplicationKind.INDIVIDUAL)
    initial = _initial(previous)
    on_file = str(initial.pop("id_number", ""))
    form = IndividualForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        keep_files=bool(previous),
        masked_id=crypto.mask_id_number(on_file) if on_file else "",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.application_submit_individual(
                user=request.user,
                real_name=data["real_name"],
                id_number=data["id_number"],
                id_card=data.get("id_card"),
            ),
            fields=UPLOAD_FIELDS,
        )
        if done is not None:
            return _submitted(request)
    return _form_page(request, form, _("Real-name verification"), previous)


@login_required
def submit_enterprise(request: AuthenticatedRequest) -> HttpResponse:
    previous = _rejected(request, ApplicationKind.ENTERPRISE)
    initial = _initial(previous)
    if previous is not None and previous.enterprise is not None:
        initial["region"] = previous.enterprise.region_id
    form = EnterpriseForm(
        request.POST or None, request.FILES or None, initial=initial, keep_files=bool(previous)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = services.EnterpriseDetails(
            name=data["name"],
            uscc=data["uscc"],
            legal_representative=data["legal_representative"],
            address=data["address"],
            region=data["region"],
            industry=data["industry"],
        )
        done = run_service(
            form,
            lambda: services.application_submit_enterprise(
                user=request.user,
                details=details,
                licence=data.get("licence"),
                qualification=data.get("qualification"),
                pledge=data.get("pledge"),
            ),
            fields=UPLOAD_FIELDS,
        )
        if done is not None:
            return _submitted(request)
    return _form_page(request, form, _("Enterprise verification"), previous, pledge_template=True)


@login_required
def submit_name_change(request: AuthenticatedRequest) -> HttpResponse:
    membership = enterprise_selectors.membership_of(user=request.user)
    previous = _rejected(request, ApplicationKind.NAME_CHANGE)
    form = NameChangeForm(
        request.POST or None,
        request.FILES or None,
        initial=_initial(previous),
        keep_files=bool(previous),
    )
    if request.method == "POST" and form.is_valid():
        if membership is None:
            form.add_error(None, _("Your account does not act for an enterprise."))
        else:
            data = form.cleaned_data
            done = run_service(
                form,
                lambda: services.application_submit_name_change(
                    user=request.user,
                    enterprise=membership.enterprise,
                    new_name=data["new_name"],
                    changed_on=data["changed_on"],
                    licence=data.get("licence"),
                ),
                fields=UPLOAD_FIELDS,
            )
            if done is not None:
                return _submitted(request)
    return _form_page(request, form, _("Report a name change"), previous)


def _form_page(
    request: AuthenticatedRequest,
    form: object,
    title: str,
    previous: Application | None,
    *,
    pledge_template: bool = False,
) -> HttpResponse:
    events = list(previous.events.all()) if previous is not None else []
    last_event = events[-1] if events else None
    status_code = 400 if request.method == "POST" else 200
    return render(
        request,
        "verification/submit.html",
        {
            "form": form,
            "title": title,
            "previous": previous,
            "last_event": last_event,
            "pledge_template": pledge_template,
        },
        status=status_code,
    )


# --- the service center's side (WX 7.1.1.5) --------------------------------


@staff_view(authz.Perm.VERIFICATION_REVIEW)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    from django.utils import timezone

    applications = list(selectors.review_queue(user=request.user)[:200])
    return render(
        request,
        "verification/queue.html",
        {"applications": applications, "now": timezone.now()},
    )


@staff_view(authz.Perm.VERIFICATION_REVIEW)
def review(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for_reviewer(
        user=request.user, application_id=application_id
    )
    return _review_page(request, application, RejectForm())


def _review_page(
    request: AuthenticatedRequest,
    application: Application,
    reject_form: RejectForm,
    status: int = 200,
) -> HttpResponse:
    unmasked = authz.has_perm(request.user, authz.Perm.PERSONAL_DATA_VIEW, application.region)
    revisions = list(application.revisions.all())
    history = (
        list(enterprise_selectors.name_history(enterprise=application.enterprise))
        if application.enterprise is not None
        else []
    )
    return render(
        request,
        "verification/review.html",
        {
            "application": application,
            "fields": selectors.submitted_fields(application, unmasked=unmasked),
            "documents": sorted(
                revisions[-1].documents.all() if revisions else [],
                key=lambda d: _KIND_ORDER.index(d.kind) if d.kind in _KIND_ORDER else 99,
            ),
            "changed_documents": selectors.changed_documents(application),
            "revision_count": len(revisions),
            "events": list(application.events.all()),
            "reject_form": reject_form,
            "can_decide": services.can_decide(application),
            "name_history": history,
        },
        status=status,
    )


@require_POST
@staff_view(authz.Perm.VERIFICATION_REVIEW)
def approve(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for_reviewer(
        user=request.user, application_id=application_id
    )
    services.application_approve(reviewer=request.user, application=application)
    messages.success(request, _("Approved."))
    return HttpResponseRedirect(reverse("verification:queue"))


@require_POST
@staff_view(authz.Perm.VERIFICATION_REVIEW)
def reject(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = selectors.application_for_reviewer(
        user=request.user, application_id=application_id
    )
    form = RejectForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.application_reject(
                reviewer=request.user,
                application=application,
                reasons=form.cleaned_data["reasons"],
                note=form.cleaned_data["note"],
            ),
        )
        if done is not None:
            messages.success(request, _("Returned to the applicant with your reasons."))
            return HttpResponseRedirect(reverse("verification:queue"))
    return _review_page(request, application, form, status=400)
