"""The staff side under /demands/manage/ (WX 7.2.2, HM 4.3.2-4.3.3): the
queue with its clocks, registering demands and visits, and each demand's
page with respond, recommend, refer, docking, escalate and close."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.forms import run_service
from onestop.core.http import AuthenticatedRequest
from onestop.demands import engine, explain, rules, selectors, services
from onestop.demands.forms import (
    NEED_FIELD_NAMES,
    AssignForm,
    DockingForm,
    EscalateForm,
    ExternalForm,
    NoteForm,
    QueueFilterForm,
    RegisterForm,
    VisitFilterForm,
    VisitForm,
)
from onestop.demands.models import Demand
from onestop.workbench.access import safe_next, staff_view

PAGE_SIZE = 50
HANDLE = authz.Perm.DEMAND_HANDLE


def _may_handle(user: Any, demand: Demand) -> bool:
    if not authz.has_perm(user, HANDLE, demand.region):
        return False
    return demand.escalated_at is None or authz.has_perm(
        user, authz.Perm.ESCALATION_HANDLE, demand.region
    )


def _may_assign(user: Any, demand: Demand | None = None) -> bool:
    return authz.has_perm(user, services.ASSIGN_PERM, demand.region if demand else None)


def _query_without_page(request: AuthenticatedRequest) -> str:
    """The filters of a list page, for its pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _rows(demands: list[Demand], now: Any) -> list[tuple[Demand, list[selectors.ClockView], str]]:
    """Each demand with its running clocks and the row's highlight."""
    rows = []
    for demand in demands:
        clocks = selectors.clock_views(demand, now)
        states = {c.state for c in clocks}
        css = (
            "row-breached" if "breached" in states else "row-at-risk" if "at_risk" in states else ""
        )
        rows.append((demand, clocks, css))
    return rows


# --- queues --------------------------------------------------------------------------------


@staff_view(HANDLE)
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Open demands in my regions, soonest deadline first; which clock is at
    risk or overdue is shown on each row (WX 7.2.2.2.1)."""
    now = timezone.now()
    filters = QueueFilterForm(request.GET or None, user=request.user)
    paginator = Paginator(
        selectors.staff_queue(user=request.user, filters=filters.to_filter(), now=now), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    query = _query_without_page(request)
    may_assign = _may_assign(request.user)
    return render(
        request,
        "demands/manage/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": _rows(list(page.object_list), now),
            "query": query,
            "assign_form": AssignForm(user=request.user) if may_assign else None,
            "next": request.get_full_path(),
        },
    )


@staff_view(authz.Perm.ESCALATION_HANDLE)
def escalations(request: AuthenticatedRequest) -> HttpResponse:
    """What stations could not solve, now with the service center (HM 4.3.3.2)."""
    now = timezone.now()
    paginator = Paginator(selectors.escalation_queue(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "demands/manage/escalations.html",
        {"page": page, "rows": _rows(list(page.object_list), now)},
    )


@require_POST
@staff_view(HANDLE)
def assign(request: AuthenticatedRequest) -> HttpResponse:
    """Assign one or many demands (the queue's bulk form posts here)."""
    back = safe_next(request, reverse("demands:manage_queue"))
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return HttpResponseRedirect(back)
    demands = selectors.demands_for_staff(user=request.user, ids=form.cleaned_data["ids"])
    if len(demands) != len(set(form.cleaned_data["ids"])):
        raise selectors.DemandNotFound()
    try:
        done = services.demand_assign(
            actor=request.user,
            demands=demands,
            staff=form.cleaned_data.get("staff"),
            station=form.cleaned_data.get("station"),
            note=form.cleaned_data.get("note", ""),
        )
    except (InvalidInput, InvalidTransition) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s demands assigned.") % {"n": len(done)})
    return HttpResponseRedirect(back)


# --- registering ---------------------------------------------------------------------------


@staff_view(HANDLE)
def register(request: AuthenticatedRequest) -> HttpResponse:
    """A demand received by phone, at the counter, by letter or on a visit
    (WX 7.2.2.1.1, HM 4.3.2.3)."""
    visit = None
    visit_id = request.POST.get("visit") or request.GET.get("visit")
    if visit_id and str(visit_id).isdigit():
        visit = selectors.visit_for_staff(user=request.user, visit_id=int(visit_id))
    initial: dict[str, Any] = {}
    if visit is not None:
        initial = {
            "visit": visit.pk,
            "source": "visit",
            "prospect_name": visit.prospect_name,
            "enterprise_uscc": visit.enterprise.uscc if visit.enterprise else "",
            "station": visit.station_id,
            "region": (visit.enterprise.region_id if visit.enterprise else visit.station.region_id),
        }
    form = RegisterForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        demand = run_service(
            form,
            lambda: services.demand_register(
                actor=request.user,
                requester=data.get("requester_mobile"),
                enterprise=data.get("enterprise_uscc"),
                prospect_name=data.get("prospect_name", ""),
                contact_name=data["contact_name"],
                contact_phone=data.get("contact_phone", ""),
                contact_method=data["contact_method"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                region=data["region"],
                source=data["source"],
                station=data.get("station"),
                visit=visit,
                desired_date=data.get("desired_date"),
            ),
            fields={"requester": "requester_mobile", "visit": "source"},
        )
        if demand is not None:
            messages.success(
                request, _("Demand %(number)s registered.") % {"number": demand.number}
            )
            return HttpResponseRedirect(demand.staff_url)
    return render(
        request,
        "demands/manage/register.html",
        {"form": form, "visit": visit},
        status=400 if request.method == "POST" else 200,
    )


# --- visits --------------------------------------------------------------------------------


@staff_view(HANDLE)
def visits(request: AuthenticatedRequest) -> HttpResponse:
    """Enterprise visits recorded per station (WX 7.2.2.1.2, HM 4.3.2.2)."""
    filters = VisitFilterForm(request.GET or None, user=request.user)
    station = filters.cleaned_data.get("station") if filters.is_valid() else None
    paginator = Paginator(selectors.visits_for(user=request.user, station=station), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = _query_without_page(request)
    return render(
        request,
        "demands/manage/visits.html",
        {"filters": filters, "page": page, "visits": page.object_list, "query": query},
    )


@staff_view(HANDLE)
def visit_new(request: AuthenticatedRequest) -> HttpResponse:
    form = VisitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        need = form.need()
        if not form.errors:
            visit = run_service(
                form,
                lambda: services.visit_record(
                    actor=request.user,
                    station=data["station"],
                    visited_on=data["visited_on"],
                    needs_found=data["needs_found"],
                    enterprise=data.get("enterprise_uscc"),
                    prospect_name=data.get("prospect_name", ""),
                    staff=list(data.get("staff") or []),
                    needs=[need] if need is not None else [],
                ),
                fields=NEED_FIELD_NAMES if need is not None else None,
            )
            if visit is not None:
                messages.success(request, _("Visit recorded."))
                return HttpResponseRedirect(reverse("demands:manage_visit", args=[visit.pk]))
    return render(
        request,
        "demands/manage/visit_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@staff_view(HANDLE)
def visit_detail(request: AuthenticatedRequest, visit_id: int) -> HttpResponse:
    visit = selectors.visit_for_staff(user=request.user, visit_id=visit_id)
    return render(
        request,
        "demands/manage/visit.html",
        {"visit": visit, "demands": list(visit.demands.all()), "staff": list(visit.staff.all())},
    )


# --- one demand ----------------------------------------------------------------------------


def _page(
    request: AuthenticatedRequest,
    demand: Demand,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    user = request.user
    may_handle = _may_handle(user, demand)
    may_assign = _may_assign(user, demand)
    recommendations = [(r, explain.staff_rows(r.explanation)) for r in demand.recommendations.all()]
    context = {
        "demand": demand,
        "now": timezone.now(),
        "events": list(demand.events.all()),
        "clocks": selectors.clocks_of(demand),
        "attachments": list(demand.attachments.all()),
        "recommendations": recommendations,
        "docking": getattr(demand, "docking", None),
        "may_handle": may_handle,
        "can": {
            action: may_handle and rules.can(demand, action)
            for action in (
                "claim",
                "respond",
                "recommend",
                "refer",
                "record_docking",
                "close",
            )
        },
        "can_claim": may_handle and rules.can(demand, "claim") and demand.assigned_to_id is None,
        "can_escalate": authz.has_perm(user, HANDLE, demand.region)
        and rules.can(demand, "escalate")
        and demand.escalated_at is None,
        "assign_form": AssignForm(user=user)
        if may_assign and rules.can(demand, "assign")
        else None,
        "respond_form": forms.get("respond_form")
        or NoteForm(label=_("What was clarified with the user")),
        "external_form": forms.get("external_form") or ExternalForm(),
        "docking_form": forms.get("docking_form") or _docking_form(demand),
        "escalate_form": forms.get("escalate_form") or EscalateForm(),
        "close_form": forms.get("close_form") or NoteForm(label=_("Closing note")),
    }
    return render(request, "demands/manage/detail.html", context, status=status)


def _docking_form(demand: Demand) -> DockingForm:
    docking = getattr(demand, "docking", None)
    if docking is None:
        return DockingForm()
    return DockingForm(
        initial={
            "project": docking.project,
            "expected_start": docking.expected_start,
            "expected_end": docking.expected_end,
            "price": docking.price,
        }
    )


@staff_view(HANDLE)
def detail(request: AuthenticatedRequest, number: str) -> HttpResponse:
    demand = selectors.demand_for_staff(user=request.user, number=number)
    return _page(request, demand)


def _act(
    request: AuthenticatedRequest,
    number: str,
    *,
    form_name: str,
    form: Any,
    call: Callable[[Demand, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A POST action on the demand page: parse, call the service, back to the page."""
    demand = selectors.demand_for_staff(user=request.user, number=number)
    if form.is_valid():
        result = run_service(form, lambda: call(demand, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return HttpResponseRedirect(demand.staff_url)
    fresh = selectors.demand_for_staff(user=request.user, number=number)
    return _page(request, fresh, status=400, **{form_name: form})


@require_POST
@staff_view(HANDLE)
def claim(request: AuthenticatedRequest, number: str) -> HttpResponse:
    demand = selectors.demand_for_staff(user=request.user, number=number)
    try:
        services.demand_claim(actor=request.user, demand=demand)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return _page(request, selectors.demand_for_staff(user=request.user, number=number), 409)
    messages.success(request, _("You are now responsible for this demand."))
    return HttpResponseRedirect(demand.staff_url)


@require_POST
@staff_view(HANDLE)
def respond(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="respond_form",
        form=NoteForm(request.POST, label=_("What was clarified with the user")),
        call=lambda d, data: services.demand_respond(
            actor=request.user, demand=d, note=data["note"]
        ),
        done=_("Response recorded; the response clock has stopped."),
    )


@require_POST
@staff_view(HANDLE)
def refer(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="external_form",
        form=ExternalForm(request.POST),
        call=lambda d, data: services.recommendation_add_external(
            actor=request.user,
            demand=d,
            name=data["external_name"],
            contact=data["external_contact"],
            note=data.get("note", ""),
        ),
        done=_("The user has been told about the institution outside the platform."),
    )


@require_POST
@staff_view(HANDLE)
def docking(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="docking_form",
        form=DockingForm(request.POST),
        call=lambda d, data: services.docking_record(
            actor=request.user,
            demand=d,
            project=data["project"],
            expected_start=data.get("expected_start"),
            expected_end=data.get("expected_end"),
            price=data.get("price"),
        ),
        done=_("Docking details saved."),
    )


@require_POST
@staff_view(HANDLE)
def escalate(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="escalate_form",
        form=EscalateForm(request.POST),
        call=lambda d, data: services.demand_escalate(
            actor=request.user, demand=d, reason=data["reason"]
        ),
        done=_("Escalated to the service center."),
    )


@require_POST
@staff_view(HANDLE)
def close(request: AuthenticatedRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        form_name="close_form",
        form=NoteForm(request.POST, label=_("Closing note")),
        call=lambda d, data: services.demand_close(actor=request.user, demand=d, note=data["note"]),
        done=_("Demand closed."),
    )


# --- recommending -----------------------------------------------------------------------------


def _picks(post: Any, candidate_ids: list[int]) -> tuple[list[services.Pick], list[str]]:
    """The ticked offerings and their positions from the recommend form."""
    picks: list[services.Pick] = []
    errors: list[str] = []
    ticked = {int(v) for v in post.getlist("pick") if str(v).isdigit()}
    for index, offering_id in enumerate(candidate_ids, start=1):
        if offering_id not in ticked:
            continue
        raw = (post.get(f"position_{offering_id}") or "").strip()
        if not raw:
            position = index
        elif raw.isdigit():
            position = int(raw)
        else:
            errors.append(_("Positions are numbers from 1 to 99."))
            continue
        picks.append(services.Pick(offering_id=offering_id, position=position))
    if ticked - set(candidate_ids):
        errors.append(_("A chosen service is not among the candidates; search for it again."))
    return picks, errors


@staff_view(HANDLE)
def recommend(request: AuthenticatedRequest, number: str) -> HttpResponse:
    """The engine's ranking with its explanation; staff tick, reorder, add by
    name, and send (WX 7.2.2.2.1). The first sending stops the clock."""
    demand = selectors.demand_for_staff(user=request.user, number=number)
    if not _may_handle(request.user, demand):
        raise authz.NotAllowed()
    rules.require(demand, "recommend")
    source = request.POST if request.method == "POST" else request.GET
    add_query = (source.get("add") or "").strip()[:50]
    added = [int(v) for v in source.getlist("added") if str(v).isdigit()][:50]
    added += [pk for pk in engine.offerings_by_name(add_query) if pk not in added]
    candidates = engine.rank(demand, extra_offering_ids=added)
    errors: list[str] = []
    note = (source.get("note") or "").strip()
    if request.method == "POST" and "send" in request.POST:
        picks, errors = _picks(request.POST, [c.offering.pk for c in candidates])
        if not errors:
            try:
                sent = services.demand_recommend(
                    actor=request.user, demand=demand, picks=picks, note=note
                )
            except InvalidInput as exc:
                errors.append(exc.message)
            else:
                messages.success(
                    request, _("%(n)s recommendations sent to the user.") % {"n": len(sent)}
                )
                return HttpResponseRedirect(demand.staff_url)
    rows = [(c, explain.staff_rows(c.explanation())) for c in candidates]
    return render(
        request,
        "demands/manage/recommend.html",
        {
            "demand": demand,
            "rows": rows,
            "added": [c.offering.pk for c in candidates if c.offering.pk in set(added)],
            "add_query": add_query,
            "note": note,
            "errors": errors,
            "part_labels": [str(label) for label in explain.PART_LABELS.values()],
            "max_points": engine.MAX_POINTS,
            "ticked": {int(v) for v in request.POST.getlist("pick") if str(v).isdigit()},
        },
        status=400 if errors else 200,
    )
