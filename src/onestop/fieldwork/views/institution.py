"""The institution's side: confirm or reject samples that arrive, upload
reports, and offer appointment slots. For the people of an onboarded
institution (members of its enterprise), on the public site."""

from __future__ import annotations

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
from onestop.fieldwork import rules, selectors, services
from onestop.fieldwork.forms import (
    CancelForm,
    ConfirmForm,
    DayForm,
    ReasonForm,
    ReportForm,
    SampleFilterForm,
    SlotsGenerateForm,
)
from onestop.fieldwork.views._common import paginate, status_for


@login_required
def sample_list(request: AuthenticatedRequest) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    form = SampleFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    samples = selectors.samples_for_institution(institution=institution, status=status)
    page, query = paginate(request, samples)
    return render(
        request,
        "fieldwork/inst_samples.html",
        {"institution": institution, "form": form, "page": page, "query": query},
    )


def _sample_page(
    request: AuthenticatedRequest,
    sample_id: int,
    *,
    confirm_form: ConfirmForm | None = None,
    reject_form: ReasonForm | None = None,
    report_form: ReportForm | None = None,
    status: int = 200,
) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    sample = selectors.sample_for_institution(institution=institution, sample_id=sample_id)
    return render(
        request,
        "fieldwork/inst_sample.html",
        {
            "sample": sample,
            "events": list(sample.events.all()),
            "can_confirm": rules.can_confirm(sample),
            "can_reject": rules.can_reject(sample),
            "can_upload_report": rules.can_upload_report(sample),
            "confirm_form": confirm_form or ConfirmForm(),
            "reject_form": reject_form or ReasonForm(),
            "report_form": report_form or ReportForm(),
            "side": "institution",
        },
        status=status,
    )


@login_required
def sample_detail(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    return _sample_page(request, sample_id)


def _own_sample(request: AuthenticatedRequest, sample_id: int):  # type: ignore[no-untyped-def]
    institution = selectors.own_institution(user=request.user)
    return selectors.sample_for_institution(institution=institution, sample_id=sample_id)


def _back(sample_id: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("fieldwork:inst_sample", args=[sample_id]))


@require_POST
@login_required
def sample_confirm(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = _own_sample(request, sample_id)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.sample_confirm_receipt(
                actor=request.user, sample=sample, note=form.cleaned_data.get("note", "")
            ),
        )
        if done is not None:
            messages.success(request, _("Receipt confirmed."))
            return _back(sample.pk)
    return _sample_page(request, sample_id, confirm_form=form, status=409)


@require_POST
@login_required
def sample_reject(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = _own_sample(request, sample_id)
    form = ReasonForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.sample_reject(
                actor=request.user, sample=sample, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Sample rejected; the station and the user are told."))
            return _back(sample.pk)
    return _sample_page(request, sample_id, reject_form=form, status=400)


@require_POST
@login_required
def sample_report(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = _own_sample(request, sample_id)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.sample_report_upload(
                actor=request.user,
                sample=sample,
                report=form.cleaned_data["report"],
                note=form.cleaned_data.get("note", ""),
            ),
        )
        if done is not None:
            messages.success(
                request, _("Report uploaded. The user has been sent the pick-up code.")
            )
            return _back(sample.pk)
    return _sample_page(request, sample_id, report_form=form, status=400)


@login_required
def slots(request: AuthenticatedRequest) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    form = DayForm(request.GET or None)
    day = (form.cleaned_data.get("day") if form.is_valid() else None) or timezone.localdate()
    return render(
        request,
        "fieldwork/day_slots.html",
        {
            "form": form,
            "institution": institution,
            "day": day,
            "slots": selectors.institution_day(institution=institution, day=day),
            "side": "institution",
            "base": "base.html",
            "now": timezone.now(),
        },
    )


@login_required
def slots_new(request: AuthenticatedRequest) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    form = SlotsGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.slots_generate(
                actor=request.user,
                institution=institution,
                first_day=data["first_day"],
                last_day=data["last_day"],
                day_starts=data["day_starts"],
                day_ends=data["day_ends"],
                minutes=data["minutes"],
                purpose=data["purpose"],
            ),
        )
        if created is not None:
            messages.success(request, _("%(count)s slots created.") % {"count": len(created)})
            return HttpResponseRedirect(
                reverse("fieldwork:inst_slots") + f"?day={data['first_day']:%Y-%m-%d}"
            )
    return render(
        request,
        "fieldwork/slots_form.html",
        {"form": form, "side": "institution", "institution": institution, "base": "base.html"},
        status=status_for(request),
    )


@require_POST
@login_required
def slot_delete(request: AuthenticatedRequest, slot_id: int) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    slot = selectors.slot_for_institution(institution=institution, slot_id=slot_id)
    day = timezone.localtime(slot.starts_at).date()
    try:
        services.slot_delete(actor=request.user, slot=slot)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Slot deleted."))
    return HttpResponseRedirect(reverse("fieldwork:inst_slots") + f"?day={day:%Y-%m-%d}")


@require_POST
@login_required
def appointment_cancel(request: AuthenticatedRequest, appointment_id: int) -> HttpResponse:
    institution = selectors.own_institution(user=request.user)
    appointment = selectors.appointment_for_institution(
        institution=institution, appointment_id=appointment_id
    )
    form = CancelForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    day = timezone.localtime(appointment.slot.starts_at).date()
    try:
        services.appointment_cancel(actor=request.user, appointment=appointment, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Appointment cancelled; the user has been told."))
    return HttpResponseRedirect(reverse("fieldwork:inst_slots") + f"?day={day:%Y-%m-%d}")
