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
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.experts import selectors, services
from onestop.experts.forms import (
    AvailabilityForm,
    ExpertForm,
    ManageFilterForm,
    RegisterForm,
    RemoveForm,
    SessionCancelForm,
    SessionForm,
    expert_initial,
)
from onestop.experts.models import Availability, QaSession, SessionStatus
from onestop.regions import selectors as region_selectors
from onestop.web.region import current_region
from onestop.workbench.access import staff_view

PAGE_SIZE = 20
MANAGE_PAGE_SIZE = 50
EXPERT_SESSIONS = 10

# --- the public directory (HM 4.1.2.1, LZ 6.2.3): no contacts, ever ------------


def expert_list(request: HttpRequest) -> HttpResponse:
    """Experts serving the visitor's region (or the one chosen, or all with an
    empty choice), optionally in one field of expertise."""
    params = request.GET
    if "region" in params:
        code = params["region"].strip()
        region = region_selectors.region_get(code=code) if code else None
    else:
        region = current_region(request)
    category = selectors.category_find(code=params.get("category", ""))
    experts = selectors.experts_public(region=region, category=category)
    page = Paginator(experts, PAGE_SIZE).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    query["region"] = region.code if region is not None else ""
    return render(
        request,
        "experts/list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "region": region,
            "category": category,
            "region_choices": region_selectors.region_choices(),
            "category_choices": selectors.category_choices(),
        },
    )


def expert_detail(request: HttpRequest, expert_id: int) -> HttpResponse:
    expert = selectors.expert_public(expert_id=expert_id)
    sessions = list(selectors.sessions_upcoming(expert=expert)[:EXPERT_SESSIONS])
    return render(request, "experts/detail.html", {"expert": expert, "sessions": sessions})


# --- workbench: the service center keeps the pool --------------------------------


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ManageFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    experts = selectors.experts_managed(
        user=request.user,
        category=selectors.category_find(code=data.get("category", "")),
        availability=data.get("availability", ""),
        removed=data.get("removed") == "1",
    )
    page = Paginator(experts, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "experts/manage_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if valid else 400,
    )


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_create(request: AuthenticatedRequest) -> HttpResponse:
    form = ExpertForm(
        request.POST or None, user=request.user, initial={"availability": Availability.AVAILABLE}
    )
    if request.method == "POST" and form.is_valid():
        expert = run_service(
            form,
            lambda: services.expert_create(
                actor=request.user,
                region=form.cleaned_data["region"],
                details=form.details(),
                availability=form.cleaned_data["availability"],
            ),
        )
        if expert is not None:
            messages.success(request, _("Expert saved."))
            return HttpResponseRedirect(reverse("experts:manage_edit", args=[expert.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "experts/manage_form.html", {"form": form, "expert": None}, status=status
    )


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_edit(request: AuthenticatedRequest, expert_id: int) -> HttpResponse:
    expert = selectors.expert_get_managed(user=request.user, expert_id=expert_id)
    form = ExpertForm(
        request.POST or None, user=request.user, editing=expert, initial=expert_initial(expert)
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.expert_update(
                actor=request.user,
                expert=expert,
                details=form.details(),
                region=form.cleaned_data["region"],
            ),
        )
        if done is not None:
            messages.success(request, _("Expert saved."))
            return HttpResponseRedirect(reverse("experts:manage_edit", args=[expert.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "experts/manage_form.html",
        {
            "form": form,
            "expert": expert,
            "availability_form": AvailabilityForm(initial={"availability": expert.availability}),
        },
        status=status,
    )


@require_POST
@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_availability(request: AuthenticatedRequest, expert_id: int) -> HttpResponse:
    expert = selectors.expert_get_managed(user=request.user, expert_id=expert_id)
    services.expert_set_availability(
        actor=request.user, expert=expert, availability=request.POST.get("availability", "")
    )
    messages.success(request, _("Availability saved."))
    return HttpResponseRedirect(reverse("experts:manage_edit", args=[expert.pk]))


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_remove(request: AuthenticatedRequest, expert_id: int) -> HttpResponse:
    expert = selectors.expert_get_managed(user=request.user, expert_id=expert_id)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.expert_remove(
                actor=request.user, expert=expert, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The expert was removed from the pool."))
            return HttpResponseRedirect(reverse("experts:manage_list"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "experts/manage_remove.html", {"form": form, "expert": expert}, status=status
    )


# --- online Q&A sessions (HM 4.3.3.1) ------------------------------------------------


def session_list(request: HttpRequest) -> HttpResponse:
    """Upcoming sessions, open to everyone; how to join is never on this page."""
    page = Paginator(selectors.sessions_upcoming(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "experts/sessions.html", {"page": page, "query": ""})


def _session_page(
    request: HttpRequest, session: QaSession, form: RegisterForm | None = None, status: int = 200
) -> HttpResponse:
    registration = selectors.registration_live(user=request.user, session=session)
    is_open = session.status == SessionStatus.SCHEDULED and session.starts_at > timezone.now()
    return render(
        request,
        "experts/session.html",
        {
            "session": session,
            "registration": registration,
            "join_info": selectors.join_info_for(
                user=request.user, session=session, registered=registration is not None
            ),
            "is_open": is_open,
            "form": form or RegisterForm(),
        },
        status=status,
    )


def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    return _session_page(request, selectors.session_public(session_id=session_id))


@require_POST
@login_required
def session_register(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = selectors.session_public(session_id=session_id)
    form = RegisterForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.qa_register(
                user=request.user, session=session, question=form.cleaned_data["question"]
            ),
        )
        if done is not None:
            messages.success(request, _("You are registered. How to join is shown below."))
            return HttpResponseRedirect(reverse("experts:session", args=[session.pk]))
    return _session_page(request, session, form, status=400)


@require_POST
@login_required
def session_unregister(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = selectors.session_public(session_id=session_id)
    services.qa_unregister(user=request.user, session=session)
    messages.success(request, _("Your registration was cancelled."))
    return HttpResponseRedirect(reverse("experts:session", args=[session.pk]))


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_sessions(request: AuthenticatedRequest) -> HttpResponse:
    sessions = selectors.sessions_managed(user=request.user)
    page = Paginator(sessions, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "experts/manage_sessions.html",
        {"page": page, "query": "", "now": timezone.now()},
    )


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_session_new(request: AuthenticatedRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        session = run_service(
            form,
            lambda: services.qa_session_create(
                actor=request.user, region=form.cleaned_data["region"], details=form.details()
            ),
        )
        if session is not None:
            messages.success(request, _("Online Q&A session scheduled."))
            return HttpResponseRedirect(reverse("experts:manage_session", args=[session.pk]))
    status = 400 if request.method == "POST" else 200
    return render(request, "experts/manage_session_form.html", {"form": form}, status=status)


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_session(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_managed(user=request.user, session_id=session_id)
    return render(
        request,
        "experts/manage_session.html",
        {
            "session": session,
            "registrations": selectors.session_registrations(session=session),
            "can_cancel": session.status == SessionStatus.SCHEDULED
            and session.starts_at > timezone.now(),
        },
    )


@staff_view(authz.Perm.EXPERT_MANAGE)
def manage_session_cancel(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_managed(user=request.user, session_id=session_id)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.qa_session_cancel(
                actor=request.user, session=session, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("The session was cancelled; registered users are told."))
            return HttpResponseRedirect(reverse("experts:manage_session", args=[session.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "experts/manage_session_cancel.html",
        {"form": form, "session": session},
        status=status,
    )
