"""Recommending institutions for a demand (WX 7.2.2.2.1): the engine's
ranking with its explanation, which staff tick, reorder, add to by name
and send."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from onestop.accounts import authz
from onestop.core.errors import InvalidInput
from onestop.core.http import AuthenticatedRequest
from onestop.demands import engine, explain, rules, selectors, services
from onestop.demands.views._common import HANDLE, user_may_handle
from onestop.workbench.access import staff_view


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
    if not user_may_handle(request.user, demand):
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
