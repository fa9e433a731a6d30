"""Pages: the public questionnaire behind a link, the institution's list,
the center's list, the rectification queue and case page (workbench)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onestop.accounts.authz import Perm
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.evaluations import selectors, services
from onestop.evaluations.forms import CallbackForm, EvaluationForm
from onestop.evaluations.models import CaseStatus
from onestop.workbench.access import staff_view


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "evaluations/link_refused.html", {"error": error}, status=error.status)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the link is the credential (signed, 30 days, once)."""
    try:
        invitation = services.invitation_open(token=token)
    except (services.LinkGone, services.LinkInvalid) as error:
        return _refused(request, error)
    form = EvaluationForm(request.POST or None, survey=invitation.form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = run_service(
                form,
                lambda: services.evaluation_submit(
                    token=token,
                    answers={key: data[key] for key in form.answer_keys},
                    comment=data.get("comment", ""),
                    enterprise_name=data.get("enterprise_name", ""),
                    signer=data.get("signer", ""),
                ),
            )
        except (services.LinkGone, services.LinkInvalid) as error:
            return _refused(request, error)
        if evaluation is not None:
            return render(request, "evaluations/thanks.html", {"order": invitation.order})
    status = 400 if form.errors else 200
    return render(
        request,
        "evaluations/invite.html",
        {"form": form, "invitation": invitation, "survey": invitation.form},
        status=status,
    )


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    institution = selectors.institution_of(user=request.user)  # type: ignore[arg-type]
    rows = selectors.institution_evaluations(institution=institution)
    return render(
        request,
        "evaluations/institution_list.html",
        {"institution": institution, "rows": rows},
    )


@staff_view(Perm.ORDER_OVERSEE)
def manage_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.center_evaluations(user=request.user)  # type: ignore[arg-type]
    return render(request, "evaluations/manage_list.html", {"rows": rows})


@staff_view(Perm.ORDER_OVERSEE)
def case_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CaseStatus.OPEN)
    cases = list(selectors.rectification_queue(user=request.user, status=status)[:100])  # type: ignore[arg-type]
    return render(
        request,
        "evaluations/case_queue.html",
        {"cases": cases, "status": status, "statuses": CaseStatus.choices},
    )


@staff_view(Perm.ORDER_OVERSEE)
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.rectification_detail(user=request.user, pk=pk)  # type: ignore[arg-type]
    form = CallbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.rectification_callback_record(
                actor=request.user,  # type: ignore[arg-type]
                case=case,
                method=data["method"],
                outcome=data["outcome"],
                user_confirmed=data["user_confirmed"],
            ),
        )
        if done is not None:
            return redirect("evaluations:case", pk=case.pk)
    evaluation = case.evaluation
    return render(
        request,
        "evaluations/case_detail.html",
        {
            "case": case,
            "form": form,
            "evaluation": evaluation,
            "answers": selectors.answers_of(evaluation.form, evaluation.answers),
        },
    )
