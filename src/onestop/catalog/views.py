from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestop.catalog import selectors
from onestop.catalog.models import Channel


def index(request: HttpRequest) -> HttpResponse:
    """The service catalog: the twelve categories and their services (LZ 6.4)."""
    return render(request, "catalog/index.html", {"tree": selectors.category_tree()})


def category(request: HttpRequest, code: str) -> HttpResponse:
    current = selectors.category_get(code=code)
    return render(
        request,
        "catalog/category.html",
        {"category": current, "items": list(selectors.published_items(category=current))},
    )


def item(request: HttpRequest, item_id: int) -> HttpResponse:
    """The operation manual of one service: what the public sees is the
    latest published version, never a draft (WX 4.1.1)."""
    service = selectors.published_item(item_id=item_id)
    versions = list(service.versions.all())
    manual = versions[0].snapshot
    return render(
        request,
        "catalog/item.html",
        {
            "item": service,
            "manual": manual,
            "channel_label": Channel(manual["channel"]).label,
            "version": versions[0],
        },
    )
