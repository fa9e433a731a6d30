"""Workbench: samples a station receives, sends and hands out (WX 5.2 a 1,
HM 4.2.4.3)."""

from __future__ import annotations

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
from onestop.fieldwork import rules, selectors, services
from onestop.fieldwork.forms import HandOutForm, SampleFilterForm, SampleReceiveForm, SampleSendForm
from onestop.fieldwork.views._common import paginate, status_for
from onestop.workbench.access import staff_view

PERM = authz.Perm.FIELDWORK_HANDLE


@staff_view(PERM)
def sample_queue(request: AuthenticatedRequest) -> HttpResponse:
    stations = list(selectors.stations_handled(user=request.user))
    form = SampleFilterForm(request.GET or None, stations=stations)
    valid = form.is_valid()
    station = form.cleaned_data.get("station") if valid else None
    status = form.cleaned_data.get("status", "") if valid else ""
    samples = selectors.samples_for_staff(
        user=request.user,
        station=station,
        status=status,
        query=form.cleaned_data.get("q", "") if valid else "",
    )
    page, query = paginate(request, samples)
    return render(
        request,
        "fieldwork/sample_queue.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "counts": selectors.sample_status_counts(user=request.user, station=station),
            "station": station,
        },
    )


@staff_view(PERM)
def sample_new(request: AuthenticatedRequest) -> HttpResponse:
    stations = list(selectors.stations_handled(user=request.user))
    initial: dict[str, object] = {"order": request.GET.get("order", "")}
    if len(stations) == 1:
        initial["station"] = stations[0].pk
    form = SampleReceiveForm(
        request.POST or None, request.FILES or None, stations=stations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def receive():  # type: ignore[no-untyped-def]
            order = selectors.order_for_staff(user=request.user, number=data["order"])
            return services.sample_receive(
                actor=request.user,
                station=data["station"],
                order=order,
                description=data["description"],
                quantity=data["quantity"],
                condition=data["condition"],
                photo=data.get("photo"),
            )

        sample = run_service(form, receive)
        if sample is not None:
            messages.success(
                request, _("Sample received as %(number)s.") % {"number": sample.number}
            )
            return HttpResponseRedirect(reverse("fieldwork:sample", args=[sample.pk]))
    return render(request, "fieldwork/sample_form.html", {"form": form}, status=status_for(request))


def _sample_page(
    request: AuthenticatedRequest,
    sample_id: int,
    *,
    send_form: SampleSendForm | None = None,
    hand_out_form: HandOutForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sample = selectors.sample_for_staff(user=request.user, sample_id=sample_id)
    locked_until = sample.pickup_locked_until
    if locked_until is not None and locked_until <= timezone.now():
        locked_until = None
    return render(
        request,
        "fieldwork/sample_detail.html",
        {
            "sample": sample,
            "events": list(sample.events.all()),
            "can_send": rules.can_send(sample),
            "can_hand_out": rules.can_hand_out(sample),
            "locked_until": locked_until,
            "send_form": send_form or SampleSendForm(),
            "hand_out_form": hand_out_form or HandOutForm(),
            "side": "staff",
        },
        status=status,
    )


@staff_view(PERM)
def sample_detail(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    return _sample_page(request, sample_id)


@require_POST
@staff_view(PERM)
def sample_send(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = selectors.sample_for_staff(user=request.user, sample_id=sample_id)
    form = SampleSendForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.sample_send(
                actor=request.user,
                sample=sample,
                carrier=form.cleaned_data["carrier"],
                tracking_number=form.cleaned_data["tracking_number"],
            ),
        )
        if done is not None:
            messages.success(request, _("Sample sent to the institution."))
            return HttpResponseRedirect(reverse("fieldwork:sample", args=[sample.pk]))
    return _sample_page(request, sample_id, send_form=form, status=400)


@require_POST
@staff_view(PERM)
def sample_hand_out(request: AuthenticatedRequest, sample_id: int) -> HttpResponse:
    sample = selectors.sample_for_staff(user=request.user, sample_id=sample_id)
    form = HandOutForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.sample_hand_out(
                actor=request.user, sample=sample, code=form.cleaned_data["code"]
            ),
        )
        if done is not None:
            messages.success(request, _("Report handed out."))
            return HttpResponseRedirect(reverse("fieldwork:sample", args=[sample.pk]))
    return _sample_page(request, sample_id, hand_out_form=form, status=400)
