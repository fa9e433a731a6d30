"""Search API under /api/v1/search/: the same search as the page, as JSON."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from onestop.core.ratelimit import rate_limited
from onestop.search import selectors

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = ""
    kind: str = ""
    category: str = ""
    region: str = ""
    qualification: str = ""
    channel: str = ""
    page: int = 1


class HitOut(Schema):
    kind: str
    id: int
    title: str
    subtitle: str
    url: str
    title_html: str
    snippet_html: str


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    partial: bool
    more: bool  # more than the 1,000 shown matched: narrow the search
    words: list[str]
    results: list[HitOut]


class ErrorOut(Schema):
    code: str
    detail: str
    field: str = ""


@router.get("/", auth=None, response={200: SearchOut, 400: ErrorOut, 429: ErrorOut})
@rate_limited("search", api=True)
def search(request: HttpRequest, filters: Query[SearchIn]) -> Status[Any]:
    """Search services, offerings, institutions, experts and stations (WX 7.2.1).

    Matches are marked with <mark> in the *_html fields (the rest is escaped).
    """
    params = selectors.SearchParams.from_query({**filters.dict(), "page": str(filters.page)})
    try:
        result = selectors.search(params)
    except selectors.BadSearch as exc:
        return Status(400, {"code": exc.code, "detail": str(exc.message), "field": exc.field or ""})
    if result.page is None:
        return Status(
            200,
            {
                "total": 0,
                "page": 1,
                "pages": 0,
                "partial": False,
                "more": False,
                "words": [],
                "results": [],
            },
        )
    hits = [
        {
            "kind": hit.document.kind,
            "id": hit.document.object_id,
            "title": hit.document.title,
            "subtitle": hit.document.subtitle,
            "url": hit.document.url,
            "title_html": str(hit.title),
            "snippet_html": str(hit.snippet),
        }
        for hit in result.hits
    ]
    return Status(
        200,
        {
            "total": result.total,
            "page": result.page.number,
            "pages": result.page.paginator.num_pages,
            "partial": result.partial,
            "more": result.more,
            "words": result.query.highlight_words() if result.query else [],
            "results": hits,
        },
    )
