from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from onestop.fieldwork.rules import PAGE_SIZE


def paginate(request: HttpRequest, items: Any) -> tuple[Page[Any], str]:
    """One page of ``items`` and the query string to keep the filters."""
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def status_for(request: HttpRequest) -> int:
    """A form that comes back after a POST failed is a 400."""
    return 400 if request.method == "POST" else 200
