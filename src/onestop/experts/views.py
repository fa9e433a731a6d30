from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
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
    RemoveForm,
    expert_initial,
)
from onestop.experts.models import Availability
from onestop.regions import selectors as region_selectors
from onestop.web.region import current_region
from onestop.workbench.access import staff_view

PAGE_SIZE = 20
MANAGE_PAGE_SIZE = 50

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
    return render(request, "experts/detail.html", {"expert": expert})


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
