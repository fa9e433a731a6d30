"""The user's side (WX 5.1 b, 5.1 d): publish a demand, follow it, see the
recommendations and why, choose one; and the institution's side: the
demands docked with it and the requester's contact (WX 7.2.2.2.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.demands import explain, rules, selectors, services
from onestop.demands.forms import CancelForm, PublishForm
from onestop.demands.models import Demand, DemandStatus
from onestop.institutions.models import Institution
from onestop.institutions.selectors import InstitutionNotFound, institution_for_user
from onestop.web.region import current_region

PAGE_SIZE = 20
# History steps whose note the requester reads; the others are the staff's own business.
USER_NOTES = frozenset(
    {"register", "respond", "recommend", "refer", "accept", "docking_record", "cancel", "close"}
)


@login_required
def publish(request: AuthenticatedRequest) -> HttpResponse:
    """Publish what you need when the search found nothing (WX App. A)."""
    allowed, enterprise = services.publisher_enterprise(request.user)
    initial = {"contact_name": request.user.display_name, "region": current_region(request)}
    form = PublishForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and not allowed:
        raise services.NotVerified()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demand = run_service(
            form,
            lambda: services.demand_publish(
                user=request.user,
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region=data["region"],
                contact_name=data["contact_name"],
                contact_method=data["contact_method"],
                contact_phone=data.get("contact_phone", ""),
                desired_date=data.get("desired_date"),
                attachments=data.get("attachments") or [],
            ),
        )
        if demand is not None:
            messages.success(
                request,
                _("Demand %(number)s published. Staff will contact you within 1 working day.")
                % {"number": demand.number},
            )
            return HttpResponseRedirect(demand.get_absolute_url())
    return render(
        request,
        "demands/publish.html",
        {"form": form, "allowed": allowed, "enterprise": enterprise},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    paginator = Paginator(selectors.demands_of(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "demands/mine.html", {"page": page, "demands": page.object_list})


def _detail_page(
    request: AuthenticatedRequest, demand: Demand, cancel_form: CancelForm, status: int = 200
) -> HttpResponse:
    recommendations = [
        (r, explain.plain_reasons(r.explanation)) for r in demand.recommendations.all()
    ]
    docking = getattr(demand, "docking", None)
    return render(
        request,
        "demands/detail.html",
        {
            "demand": demand,
            "events": list(demand.events.all()),
            "user_notes": USER_NOTES,
            "recommendations": recommendations,
            "attachments": list(demand.attachments.all()),
            "docking": docking,
            "clocks": selectors.clocks_of(demand),
            "can_accept": rules.can(demand, "accept"),
            "can_cancel": rules.can(demand, "cancel"),
            "cancel_form": cancel_form,
            "is_closed": demand.status in (DemandStatus.CLOSED, DemandStatus.CANCELLED),
        },
        status=status,
    )


@login_required
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """One's own demand: progress, recommendations with the reasons, and the
    chosen institution's contact once docked (WX 5.1 d, 7.2.2.2.2)."""
    demand = selectors.demand_for_user(user=request.user, number=number)
    return _detail_page(request, demand, CancelForm())


@require_POST
@login_required
def accept(request: AuthenticatedRequest, number: str, recommendation_id: int) -> HttpResponse:
    demand = selectors.demand_for_user(user=request.user, number=number)
    chosen = next((r for r in demand.recommendations.all() if r.pk == recommendation_id), None)
    if chosen is None:
        raise selectors.DemandNotFound()
    try:
        docking = services.demand_accept_recommendation(
            user=request.user, demand=demand, recommendation=chosen
        )
    except (InvalidTransition, InvalidInput) as exc:
        messages.error(request, exc.message)
    else:
        institution = docking.recommendation.institution
        messages.success(
            request,
            _("You chose %(name)s. Its contact is shown below; it will contact you too.")
            % {"name": institution.name if institution else ""},
        )
    return HttpResponseRedirect(demand.get_absolute_url())


@require_POST
@login_required
def cancel(request: AuthenticatedRequest, number: str) -> HttpResponse:
    demand = selectors.demand_for_user(user=request.user, number=number)
    form = CancelForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.demand_cancel(
                user=request.user, demand=demand, reason=form.cleaned_data.get("reason", "")
            ),
        )
        if done is not None:
            messages.success(request, _("Demand withdrawn."))
            return HttpResponseRedirect(demand.get_absolute_url())
    return _detail_page(request, demand, form, status=409 if form.is_valid() else 400)


@login_required
def dockings(request: AuthenticatedRequest) -> HttpResponse:
    """For an institution's people: the demands users docked with it, with the
    requester's contact (WX 7.2.2.2.2: both sides see each other's contact)."""
    institution = institution_for_user(request.user)
    if institution is None:
        raise InstitutionNotFound()
    return _dockings_page(request, institution)


def _dockings_page(
    request: AuthenticatedRequest,
    institution: Institution,
    revealed: tuple[str, str] = ("", ""),
) -> HttpResponse:
    paginator = Paginator(selectors.dockings_for_institution(institution=institution), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "demands/dockings.html",
        {
            "institution": institution,
            "page": page,
            "dockings": page.object_list,
            "revealed_number": revealed[0],
            "revealed_phone": revealed[1],
        },
    )


@require_POST
@login_required
def docking_contact(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The docked demands again, with this one's contact number in full (audited)."""
    institution = institution_for_user(request.user)
    if institution is None:
        raise InstitutionNotFound()
    docking = (
        selectors.dockings_for_institution(institution=institution)
        .filter(demand__number=number)
        .first()
    )
    if docking is None:
        raise selectors.DemandNotFound()
    phone = services.contact_reveal(
        actor=request.user, demand=docking.demand, as_side="institution"
    )
    return _dockings_page(request, institution, (number, phone))
