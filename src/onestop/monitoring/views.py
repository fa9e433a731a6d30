"""Pages: the running status and the support queue (system administrators,
Perm.SYSTEM_MONITOR), the support request form and one's own requests (every
workbench user), the operating rules (public; edited by administrators) and
``/healthz`` for load balancers (WX 4.1.2 c, LZ 6.5.2)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onestop.accounts.authz import Perm
from onestop.core.errors import InvalidTransition
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.core.schedule import JOBS
from onestop.monitoring import checks, selectors, services
from onestop.monitoring.checks import State
from onestop.monitoring.forms import CloseForm, ReplyForm, RulesForm, SupportRequestForm
from onestop.monitoring.models import SupportRequest
from onestop.workbench.access import staff_view

PAGE_SIZE = 20


@require_http_methods(["GET", "HEAD"])
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: database and cache only, no login, no rate
    limit, and nothing about the installation beyond which check failed."""
    failed = [r.key for r in checks.run_checks(checks.HEALTH_CHECKS) if r.state == State.ERROR]
    body: dict[str, object] = {"status": "error", "failed": failed} if failed else {"status": "ok"}
    response = JsonResponse(body, status=503 if failed else 200)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@never_cache
@staff_view(Perm.SYSTEM_MONITOR)
def status(request: AuthenticatedRequest) -> HttpResponse:
    runs = selectors.job_runs()
    page = Paginator(selectors.support_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/status.html",
        {
            "results": checks.run_checks(),
            "jobs": [(job, runs.get(job.task)) for job in JOBS],
            "page": page,
        },
    )


def _came_from(request: HttpRequest) -> str:
    candidate = request.GET.get("from") or request.headers.get("referer", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return ""


@require_http_methods(["GET", "POST"])
@staff_view()
def support_new(request: AuthenticatedRequest) -> HttpResponse:
    form = SupportRequestForm(
        request.POST or None, request.FILES or None, initial={"page": _came_from(request)}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            form,
            lambda: services.support_request_submit(
                requester=request.user,
                subject=data["subject"],
                description=data["description"],
                page=data["page"],
                user_agent=request.headers.get("user-agent", ""),
                screenshot=data["screenshot"],
            ),
            # Upload refusals (type, size, quota) are about the screenshot.
            fields={"": "screenshot"},
        )
        if created is not None:
            return redirect("monitoring:support_detail", pk=created.pk)
    return render(
        request,
        "monitoring/support_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@staff_view()
def support_mine(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(selectors.support_requests_of(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "monitoring/support_mine.html", {"page": page})


def _detail(
    request: AuthenticatedRequest,
    support: SupportRequest,
    *,
    reply_form: ReplyForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "monitoring/support_detail.html",
        {
            "support": support,
            "events": selectors.support_events(request=support),
            "reply_form": reply_form or ReplyForm(),
            "close_form": CloseForm(),
            "can_answer": services.can_transition(support, "answer"),
            "can_close": services.can_transition(support, "close"),
            "error": error,
        },
        status=status,
    )


@require_GET
@staff_view()
def support_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.support_request_get(user=request.user, pk=pk))


@require_POST
@staff_view(Perm.SYSTEM_MONITOR)
def support_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    support = selectors.support_request_get(user=request.user, pk=pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.support_request_answer(
                actor=request.user, request=support, reply=form.cleaned_data["reply"]
            ),
        )
        if done is not None:
            return redirect("monitoring:support_detail", pk=support.pk)
    return _detail(request, support, reply_form=form, status=400)


@require_POST
@staff_view(Perm.SYSTEM_MONITOR)
def support_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    support = selectors.support_request_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.support_request_close(actor=request.user, request=support, note=note)
    except InvalidTransition as exc:
        return _detail(request, support, error=exc.message, status=exc.status)
    return redirect("monitoring:support_detail", pk=support.pk)


@require_GET
def rules_public(request: HttpRequest) -> HttpResponse:
    return render(request, "monitoring/rules_public.html", {"rules": selectors.rules_latest()})


@require_http_methods(["GET", "POST"])
@staff_view(Perm.SYSTEM_MONITOR)
def rules_edit(request: AuthenticatedRequest) -> HttpResponse:
    latest = selectors.rules_latest()
    initial = (
        {
            "daily_work": latest.daily_work,
            "post_responsibility": latest.post_responsibility,
            "service_work": latest.service_work,
        }
        if latest is not None
        else None
    )
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        published = run_service(
            form,
            lambda: services.rules_publish(
                actor=request.user,
                daily_work=data["daily_work"],
                post_responsibility=data["post_responsibility"],
                service_work=data["service_work"],
            ),
        )
        if published is not None:
            return redirect("monitoring:rules_edit")
    return render(
        request,
        "monitoring/rules_edit.html",
        {"form": form, "versions": selectors.rules_versions()},
        status=400 if form.errors else 200,
    )
