from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from onestop.accounts import authz
from onestop.catalog.models import ServiceCategory
from onestop.core.errors import InvalidInput
from onestop.core.http import AuthenticatedRequest
from onestop.core.pagecache import public_page
from onestop.core.ratelimit import rate_limited
from onestop.institutions.models import QualificationKind
from onestop.regions.selectors import region_choices
from onestop.search import selectors, synonyms
from onestop.search.models import DocKind, SynonymGroup
from onestop.workbench.access import staff_view


def _filter_query(params: selectors.SearchParams) -> str:
    """The current search as a query string, for the pagination links."""
    pairs = {
        "q": params.q,
        "kind": params.kind,
        "category": params.category,
        "region": params.region,
        "qualification": params.qualification,
        "channel": params.channel,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


@rate_limited("search")
@public_page
def search(request: HttpRequest) -> HttpResponse:
    """One search box over services, offerings, institutions, experts and
    stations, with filters (WX 7.2.1). Bad input gets its message next to the
    field it concerns and a 400; nothing else is searched."""
    params = selectors.SearchParams.from_query(request.GET)
    error_field = error = None
    result = None
    try:
        result = selectors.search(params)
    except InvalidInput as exc:
        error_field, error = exc.field or "q", exc.message
    context = {
        "params": params,
        "result": result,
        "error": error,
        "error_field": error_field,
        "query_string": _filter_query(params),
        "kinds": DocKind.choices,
        "categories": ServiceCategory.objects.filter(parent__isnull=True).order_by("position"),
        "regions": region_choices(),
        "qualifications": QualificationKind.choices,
    }
    return render(request, "search/search.html", context, status=400 if error else 200)


@staff_view(authz.Perm.SEARCH_MANAGE)
def synonym_list(request: AuthenticatedRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            synonyms.synonym_group_add(actor=request.user, terms=request.POST.get("terms", ""))
        except InvalidInput as exc:
            error = exc.message
        else:
            return HttpResponseRedirect(reverse("search:synonyms"))
    return render(
        request,
        "search/synonyms.html",
        {
            "groups": SynonymGroup.objects.select_related("updated_by"),
            "error": error,
            "terms": request.POST.get("terms", "") if error else "",
        },
        status=400 if error else 200,
    )


@require_POST
@staff_view(authz.Perm.SEARCH_MANAGE)
def synonym_delete(request: AuthenticatedRequest, group_id: int) -> HttpResponse:
    synonyms.synonym_group_delete(actor=request.user, group_id=group_id)
    return HttpResponseRedirect(reverse("search:synonyms"))
