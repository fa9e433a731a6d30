"""Pages: the public questionnaire behind a link; the rater's own reviews with
the follow-up of their cases; the institution's list and its appeals; the
center's list, the rectification queue and case page, the appeal queue and
decision page (workbench). The case and appeal pages show the review's
history as their reader may see it (selectors.Reader)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from onestop.accounts.authz import Perm
from onestop.core.errors import DomainError
from onestop.core.forms import run_service
from onestop.evaluations import selectors, services
from onestop.evaluations.forms import (
    AppealDecisionForm,
    AppealForm,
    CallbackForm,
    EvaluationForm,
)
from onestop.evaluations.models import AppealStatus, CaseStatus
from onestop.evaluations.selectors import Reader
from onestop.workbench.access import staff_view

PAGE_SIZE = 20


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "evaluations/link_refused.html", {"error": error}, status=error.status)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the link is the credential (signed, 30 days, once)."""
    try:
        invitation = services.invitation_open(token=token)
    except (services.LinkGone, services.LinkInvalid) as error:
        return _refused(request, error)
    form = EvaluationForm(request.POST or None, survey=invitation.form, parts=invitation.parts)
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
            return render(request, "evaluations/thanks.html", {"invitation": invitation})
    status = 400 if form.errors else 200
    return render(
        request,
        "evaluations/invite.html",
        {"form": form, "invitation": invitation, "survey": invitation.form},
        status=status,
    )


def _page(request: HttpRequest, queryset, *, show_identity: bool):  # type: ignore[no-untyped-def]
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return page, selectors.rows_of(page.object_list, show_identity=show_identity)


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    """The reviews the user gave and how the service center followed them up."""
    evaluations = selectors.rater_evaluations(user=request.user)  # type: ignore[arg-type]
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/my_list.html",
        {"reviews": selectors.rater_reviews(page.object_list), "page": page},
    )


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    institution = selectors.institution_of(user=request.user)  # type: ignore[arg-type]
    page, rows = _page(
        request,
        selectors.institution_evaluations(institution=institution),
        show_identity=False,
    )
    return render(
        request,
        "evaluations/institution_list.html",
        {"institution": institution, "rows": rows, "page": page, "can_appeal": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    """The institution contests one review of its service (once)."""
    institution = selectors.institution_of(user=request.user)  # type: ignore[arg-type]
    evaluation = selectors.institution_evaluation(institution=institution, pk=pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        appeal = run_service(
            form,
            lambda: services.appeal_lodge(
                actor=request.user,  # type: ignore[arg-type]
                evaluation=evaluation,
                reason=form.cleaned_data["reason"],
            ),
        )
        if appeal is not None:
            return redirect("evaluations:institution_list")
    (row,) = selectors.rows_of([evaluation], show_identity=False)
    return render(
        request,
        "evaluations/institution_appeal.html",
        {
            "institution": institution,
            "row": row,
            "form": form,
            "timeline": selectors.evaluation_timeline(
                evaluation=evaluation, reader=Reader.INSTITUTION
            ),
        },
        status=400 if form.errors else 200,
    )


@staff_view(Perm.ORDER_OVERSEE)
def manage_list(request: HttpRequest) -> HttpResponse:
    bad_only = request.GET.get("bad") == "1"
    page, rows = _page(
        request,
        selectors.center_evaluations(user=request.user, bad_only=bad_only),  # type: ignore[arg-type]
        show_identity=True,
    )
    return render(
        request,
        "evaluations/manage_list.html",
        {"rows": rows, "page": page, "bad_only": bad_only, "query": "bad=1" if bad_only else ""},
    )


@staff_view(Perm.ORDER_OVERSEE)
def case_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CaseStatus.OPEN)
    cases = selectors.rectification_queue(user=request.user, status=status)  # type: ignore[arg-type]
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/case_queue.html",
        {
            "cases": page.object_list,
            "page": page,
            "query": f"status={status}",
            "status": status,
            "statuses": CaseStatus.choices,
        },
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
            "timeline": selectors.evaluation_timeline(evaluation=evaluation, reader=Reader.CENTER),
        },
    )


@staff_view(Perm.EVALUATION_REVIEW)
def appeal_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", AppealStatus.PENDING)
    appeals = selectors.appeal_queue(user=request.user, status=status)  # type: ignore[arg-type]
    page = Paginator(appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluations/appeal_queue.html",
        {
            "appeals": page.object_list,
            "page": page,
            "query": f"status={status}",
            "status": status,
            "statuses": AppealStatus.choices,
        },
    )


@staff_view(Perm.EVALUATION_REVIEW)
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.appeal_detail(user=request.user, pk=pk)  # type: ignore[arg-type]
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.appeal_decide(
                actor=request.user,  # type: ignore[arg-type]
                appeal=appeal,
                upheld=form.cleaned_data["upheld"],
                decision=form.cleaned_data["decision"],
            ),
        )
        if done is not None:
            return redirect("evaluations:appeal", pk=appeal.pk)
    evaluation = appeal.evaluation
    return render(
        request,
        "evaluations/appeal_detail.html",
        {
            "appeal": appeal,
            "form": form,
            "evaluation": evaluation,
            "answers": selectors.answers_of(evaluation.form, evaluation.answers),
            "timeline": selectors.evaluation_timeline(evaluation=evaluation, reader=Reader.CENTER),
        },
        status=400 if form.errors else 200,
    )
