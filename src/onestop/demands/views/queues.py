"""The staff's queues under /demands/manage/ (WX 7.2.2.2.1, HM 4.3.3.2):
open demands in one's regions with their clocks, what stations escalated,
and assigning demands in bulk."""

from __future__ import annotations

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
from onestop.core.http import AuthenticatedRequest
from onestop.demands import selectors, services
from onestop.demands.forms import AssignForm, QueueFilterForm
from onestop.demands.models import Demand
from onestop.demands.views._common import HANDLE, PAGE_SIZE, query_without_page, user_may_assign
from onestop.workbench.access import safe_next, staff_view


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
    query = query_without_page(request)
    may_assign = user_may_assign(request.user)
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
