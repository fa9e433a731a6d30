"""The user's own samples: where each one is, with its whole chain of
custody (never the pick-up code: that went to the phone and the inbox)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.core.errors import DomainError
from onestop.core.http import AuthenticatedRequest
from onestop.fieldwork import selectors, services
from onestop.fieldwork.models import SampleStatus


@login_required
def my_samples(request: AuthenticatedRequest) -> HttpResponse:
    samples = list(selectors.samples_of_user(user=request.user)[:200])
    return render(request, "fieldwork/my_samples.html", {"samples": samples})


@login_required
def my_sample(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = selectors.sample_for_user(user=request.user, sample_id=sample_id)
    return render(
        request,
        "fieldwork/my_sample.html",
        {
            "sample": sample,
            "events": list(sample.events.all()),
            "report_ready": sample.status == SampleStatus.REPORT_READY,
            "report_readable": sample.report is not None
            and sample.status == SampleStatus.HANDED_OUT,
            "side": "user",
        },
    )


@require_POST
@login_required
def my_sample_new_code(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = selectors.sample_for_user(user=request.user, sample_id=sample_id)
    try:
        services.sample_pickup_code_resend(user=request.user, sample=sample)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("A new pick-up code has been sent to your phone and your inbox.")
        )
    return HttpResponseRedirect(reverse("fieldwork:my_sample", args=[sample.pk]))
