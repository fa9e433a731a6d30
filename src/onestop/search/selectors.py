"""Search and self-matching (WX 7.2.1): one query over service items,
offerings, institutions, experts and stations.

Matching runs in the database's full-text index (PostgreSQL GIN over
to_tsvector('simple', tokens), SQLite FTS5); ranking is the same portable
ORDER BY on both: exact phrase in the title, then in the text, then how many
query words the title holds, then active and well-rated, then the kind
(catalog entries first). A page costs a fixed number of queries however many
documents match: synonyms, the filters' lookups, one count, one page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from onestop.catalog.models import ServiceCategory
from onestop.core.errors import InvalidInput
from onestop.institutions.models import QualificationKind
from onestop.regions.models import Region
from onestop.search import text
from onestop.search.models import DocKind, SearchDocument
from onestop.search.synonyms import synonym_map

PAGE_SIZE = 20
# At most this many matches are ranked and shown (50 pages). When more match,
# the candidates are the best by the query-independent boost (an index
# order, so a broad query such as 检测 stays fast) and the page says there
# are more and suggests narrowing down.
CANDIDATES = 1000
CHANNELS = ("online", "offline")


class BadSearch(InvalidInput):
    code = "bad_search"


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    kind: str = ""
    category: str = ""
    region: str = ""
    qualification: str = ""
    channel: str = ""
    page: str | int = 1

    @classmethod
    def from_query(cls, data: Any) -> SearchParams:
        """From a QueryDict (or dict); each value trimmed, extra keys ignored."""

        def get(name: str) -> str:
            value = data.get(name, "")
            return value.strip() if isinstance(value, str) else ""

        return cls(
            q=get("q"),
            kind=get("kind"),
            category=get("category"),
            region=get("region"),
            qualification=get("qualification"),
            channel=get("channel"),
            page=get("page") or 1,
        )

    @property
    def has_filters(self) -> bool:
        return any((self.kind, self.category, self.region, self.qualification, self.channel))


@dataclass(frozen=True)
class Hit:
    document: SearchDocument
    title: SafeString
    subtitle: SafeString
    snippet: SafeString

    @property
    def kind_label(self) -> str:
        return str(DocKind(self.document.kind).label)


@dataclass
class SearchResult:
    params: SearchParams
    query: text.ParsedQuery | None
    page: Page[SearchDocument] | None
    hits: list[Hit] = field(default_factory=list)
    partial: bool = False  # no document had every word; showing those with some
    more: bool = False  # more than CANDIDATES matched
    category: ServiceCategory | None = None
    region: Region | None = None

    @property
    def ran(self) -> bool:
        return self.page is not None

    @property
    def total(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def _check(params: SearchParams) -> tuple[ServiceCategory | None, Region | None]:
    if len(params.q) > text.MAX_QUERY_CHARS:
        raise BadSearch(
            _("Keep the search to %(n)s characters or fewer; try its key words.")
            % {"n": text.MAX_QUERY_CHARS},
            field="q",
        )
    if params.kind and params.kind not in DocKind.values:
        raise BadSearch(_("Unknown kind of result."), field="kind")
    if params.qualification and params.qualification not in QualificationKind.values:
        raise BadSearch(_("Unknown qualification."), field="qualification")
    if params.channel and params.channel not in CHANNELS:
        raise BadSearch(_("Unknown way of applying."), field="channel")
    category = region = None
    if params.category:
        category = ServiceCategory.objects.filter(code=params.category).first()
        if category is None:
            raise BadSearch(_("There is no such service category."), field="category")
    if params.region:
        region = Region.objects.filter(code=params.region).first()
        if region is None:
            raise BadSearch(_("There is no such region."), field="region")
    return category, region


def _tsquery(groups: tuple[text.Group, ...], every: bool) -> str:
    def alternative(a: text.Alternative) -> str:
        whole = f"'{a.word}'"
        if not a.parts:
            return whole
        parts = " & ".join(f"'{part}'" for part in a.parts)
        return f"({whole} | ({parts}))"

    clauses = [f"({' | '.join(alternative(a) for a in g.alternatives)})" for g in groups]
    return (" & " if every else " | ").join(clauses)


def _fts5(groups: tuple[text.Group, ...], every: bool) -> str:
    def alternative(a: text.Alternative) -> str:
        whole = f'"{a.word}"'
        if not a.parts:
            return whole
        parts = " AND ".join(f'"{part}"' for part in a.parts)
        return f"({whole} OR ({parts}))"

    clauses = [f"({' OR '.join(alternative(a) for a in g.alternatives)})" for g in groups]
    return (" AND " if every else " OR ").join(clauses)


def matching(
    documents: QuerySet[SearchDocument], groups: tuple[text.Group, ...], *, every: bool
) -> QuerySet[SearchDocument]:
    """``documents`` narrowed to those holding every group (``every``) or any
    group, through the database's full-text index. Also used by the demand
    recommendation engine."""
    # Words are letters and digits only (text.WORD), so quoting them is enough;
    # the expression itself is still passed as a parameter.
    if connection.vendor == "postgresql":
        condition = RawSQL(
            # search_vector: a stored generated column, see migration 0002.
            "search_searchdocument.search_vector @@ to_tsquery('simple'::regconfig, %s)",
            (_tsquery(groups, every),),
            output_field=BooleanField(),
        )
    else:
        condition = RawSQL(
            "search_searchdocument.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            (_fts5(groups, every),),
            output_field=BooleanField(),
        )
    return documents.filter(condition)


def _ranked(
    documents: QuerySet[SearchDocument], query: text.ParsedQuery | None
) -> QuerySet[SearchDocument]:
    if query is None or query.empty:
        return documents.order_by("-boost", Length("title"), "id")
    phrase = query.phrase
    phrase_rank = (
        Case(
            When(title__icontains=phrase, then=Value(2)),
            When(body__icontains=phrase, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        if len(phrase) > 1
        else Value(0)
    )
    words_in_title: Any = Value(0, output_field=IntegerField())
    for group in query.groups:
        condition = Q()
        for alternative in group.alternatives:
            condition |= Q(title__icontains=alternative.word)
        words_in_title += Case(
            When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    return documents.alias(phrase_rank=phrase_rank, words_in_title=words_in_title).order_by(
        "-phrase_rank", "-words_in_title", "-boost", Length("title"), "id"
    )


def _page(
    documents: QuerySet[SearchDocument], query: text.ParsedQuery | None, number: str | int
) -> tuple[Page[SearchDocument], bool]:
    """The requested page of the ranked matches, and whether more than
    CANDIDATES matched. Two queries: the ids of the best CANDIDATES (+1, to
    know whether there are more) by boost, then the page of them ranked.

    Not one query with a sub-select: ``matching`` names the table in raw SQL,
    which inside a sub-select would mean the outer row. On PostgreSQL the ids
    travel back as one array parameter (``= ANY``), not a thousand."""
    ids = list(documents.order_by("-boost", "id").values_list("pk", flat=True)[: CANDIDATES + 1])
    more = len(ids) > CANDIDATES
    best = ids[:CANDIDATES]
    if connection.vendor == "postgresql":
        among = SearchDocument.objects.filter(
            RawSQL("search_searchdocument.id = ANY(%s)", (best,), output_field=BooleanField())
        )
    else:
        among = SearchDocument.objects.filter(pk__in=best)
    ranked = _ranked(among, query)
    paginator: Paginator[SearchDocument] = Paginator(ranked, PAGE_SIZE)
    paginator.count = len(best)  # known: no COUNT query
    return paginator.get_page(number), more


def search(params: SearchParams, *, today: dt.date | None = None) -> SearchResult:
    """Run one search page. Raises BadSearch (a Chinese message on a field) for
    input that cannot be searched; an empty query with no filter runs nothing."""
    category, region = _check(params)
    today = today or timezone.localdate()
    query: text.ParsedQuery | None = None
    if params.q:
        synonyms = synonym_map()
        text.learn(word for words in synonyms.values() for word in words)
        query = text.parse_query(params.q, synonyms)
        if query.empty:
            raise BadSearch(
                _("Enter the name of a service, institution, expert or station to search for."),
                field="q",
            )
    if query is None and not params.has_filters:
        return SearchResult(params=params, query=None, page=None)

    documents = SearchDocument.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )
    if params.kind:
        documents = documents.filter(kind=params.kind)
    if category is not None:
        documents = documents.filter(categories__contains=f" {category.code} ")
    if region is not None:
        # What serves the region: things in it, in the regions above it (a
        # city's institutions serve its districts), and catalog entries,
        # which hold everywhere (region_path "").
        codes = [code for code in region.path.split("/") if code]
        above = ["/".join(codes[:i]) + "/" for i in range(1, len(codes))]
        documents = documents.filter(
            Q(region_path__startswith=region.path) | Q(region_path__in=[*above, ""])
        )
    if params.qualification:
        documents = documents.filter(qualifications__contains=f" {params.qualification} ")
    if params.channel:
        documents = documents.filter(**{params.channel: True})

    partial = False
    if query is not None:
        page, more = _page(matching(documents, query.groups, every=True), query, params.page)
        if page.paginator.count == 0 and len(query.groups) > 1:
            page, more = _page(matching(documents, query.groups, every=False), query, params.page)
            partial = page.paginator.count > 0
    else:
        page, more = _page(documents, None, params.page)

    words = query.highlight_words() if query is not None else []
    hits = [
        Hit(
            document=document,
            title=text.highlight(document.title, words),
            subtitle=text.highlight(document.subtitle, words),
            snippet=text.highlight(text.snippet(document.body.replace("\n", " "), words), words),
        )
        for document in page.object_list
    ]
    return SearchResult(
        params=params,
        query=query,
        page=page,
        hits=hits,
        partial=partial,
        more=more,
        category=category,
        region=region,
    )
