"""The recommendation engine (WX 7.2.2.2.1: recommend institutions for a demand).

For one demand it ranks the published offerings users can order now
(``institutions.selectors.active_offerings``: active institution, covering
qualification valid today or none needed) by seven parts, each with a fixed
maximum so the total reads as points out of 100:

==============  ====  ============================================================
category         30   same category 30, same top category 15, other 0
text             30   BM25 of the demand's words in the offering's words, scaled
                      to 0-1 by the score a document holding every matchable
                      word would get (title words count twice)
region           15   institution in the same district 15, city 10, province 5
qualification    10   a covering certificate valid today 10, none needed 0
rating            5   the institution's mean rating (0-5)
load              5   5 / (1 + open orders / 5): busy institutions slip down
credit            5   the institution's credit grade (onestop.supervision.credit):
                      A 5, B 4, C 3, D 2, E 0; not graded yet 3 (as C)
==============  ====  ============================================================

Candidates (at most CANDIDATES) are the offerings of the demand's top
category and those whose indexed words match any of the demand's key words
(the search index's full-text match), plus any staff added by name. Words
come from the search index's ``tokens`` (already segmented with jieba); an
offering not indexed yet is segmented on the spot. A ranking costs a fixed
handful of queries: text matches, offerings, their tokens, the institutions'
open orders (one aggregate), their credit grades, and the offerings already
recommended.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from onestop.demands.models import Demand, Recommendation
from onestop.institutions.models import Offering
from onestop.institutions.selectors import active_offerings
from onestop.orders.models import OPEN_STATUSES, Order
from onestop.search import text
from onestop.search.models import DocKind, SearchDocument

# The search index's own full-text match (GIN on PostgreSQL, FTS5 on SQLite).
from onestop.search.selectors import matching
from onestop.supervision.selectors import credit_grades_for

CANDIDATES = 500
# Key words sent to the full-text index to find candidates outside the category.
MAX_MATCH_WORDS = 16
BM25_K1 = 1.2
BM25_B = 0.75
TITLE_WEIGHT = 2.0
# Words in nearly every request or institution name: no use to find candidates.
GENERIC_WORDS = frozenset(
    {"公司", "企业", "有限公司", "需要", "希望", "服务", "完成", "我们", "我公司", "单位"}
)

MAX_POINTS = {
    "category": 30,
    "text": 30,
    "region": 15,
    "qualification": 10,
    "rating": 5,
    "load": 5,
    "credit": 5,
}
CATEGORY_POINTS = {"same_category": 30, "same_top_category": 15, "other": 0}
REGION_POINTS = {"same_district": 15, "same_city": 10, "same_province": 5, "other": 0}
QUALIFICATION_POINTS = {"valid": 10, "none": 0}
LOAD_HALF = 5  # open orders at which the load part is halved
CREDIT_POINTS = {"A": 5.0, "B": 4.0, "C": 3.0, "D": 2.0, "E": 0.0, "none": 3.0}


@dataclasses.dataclass(frozen=True)
class Candidate:
    """One ranked offering: total points and the parts they come from."""

    offering: Offering
    score: float
    parts: dict[str, dict[str, Any]]
    already_recommended: bool = False

    @property
    def institution(self) -> Any:
        return self.offering.institution

    def explanation(self) -> dict[str, Any]:
        """What a Recommendation stores: the total and its parts (JSON)."""
        return {"total": self.score, "parts": self.parts}

    @property
    def score_decimal(self) -> Decimal:
        return Decimal(str(self.score)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


# --- words -------------------------------------------------------------------


def _keep(token: str) -> bool:
    # One character (的, 表, a) says little about a service; stop words nothing.
    return len(token) > 1 and token not in text.STOP_WORDS


def demand_terms(demand: Demand) -> dict[str, float]:
    """The demand's words with their weight (title words count double)."""
    weights: dict[str, float] = {}
    for token in text.index_tokens(demand.description).split():
        if _keep(token):
            weights[token] = 1.0
    for token in text.index_tokens(demand.title).split():
        if _keep(token):
            weights[token] = TITLE_WEIGHT
    return weights


def _match_words(terms: dict[str, float]) -> list[str]:
    """The words that bring in candidates beyond the category: the title's,
    then the description's longer (more specific) ones. Words every company
    name or request holds would bring in everything."""
    title = [t for t in terms if terms[t] == TITLE_WEIGHT]
    rest = sorted(
        (t for t in terms if terms[t] != TITLE_WEIGHT and len(t) >= 3),
        key=lambda t: (-len(t), t),
    )
    words = [t for t in [*title, *rest] if t not in GENERIC_WORDS]
    return words[:MAX_MATCH_WORDS]


def _groups(words: list[str]) -> tuple[text.Group, ...]:
    return tuple(
        text.Group(word=t, alternatives=(text.Alternative(word=t, parts=()),)) for t in words
    )


def _text_candidate_ids(terms: dict[str, float]) -> list[int]:
    """Offerings whose indexed words hold any of the demand's key words."""
    groups = _groups(_match_words(terms))
    if not groups:
        return []
    documents = SearchDocument.objects.filter(kind=DocKind.OFFERING, active=True)
    matched = matching(documents, groups, every=False).order_by("-boost", "id")
    return list(matched.values_list("object_id", flat=True)[:CANDIDATES])


def _bm25(
    terms: dict[str, float], documents: dict[int, frozenset[str]], lengths: dict[int, int]
) -> tuple[dict[int, float], dict[int, list[str]]]:
    """Each document's BM25 score scaled to 0-1, and the demand words it holds."""
    count = len(documents)
    if count == 0 or not terms:
        return {}, {}
    frequency = {t: sum(1 for words in documents.values() if t in words) for t in terms}
    idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items() if n > 0}
    # The best possible: a document of average length holding every word any
    # candidate holds. Words no candidate has cannot be matched by anyone.
    ideal = sum(terms[t] * idf[t] for t in idf)
    average = sum(lengths.values()) / count or 1.0
    scores: dict[int, float] = {}
    matched: dict[int, list[str]] = {}
    for pk, words in documents.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[pk] / average)
        hits = [t for t in idf if t in words]
        raw = sum(terms[t] * idf[t] * (BM25_K1 + 1) / (1 + norm) for t in hits)
        scores[pk] = min(1.0, raw / ideal) if ideal else 0.0
        matched[pk] = _shown_words(hits, terms)
    return scores, matched


def _shown_words(hits: list[str], terms: dict[str, float]) -> list[str]:
    """The matched words as people read them: the finer segments inside a
    longer matched word (压力, 力表 in 压力表) are left out."""
    whole = [t for t in hits if not any(t != other and t in other for other in hits)]
    return sorted(whole, key=lambda t: (-terms[t], -len(t), t))


# --- the other parts -----------------------------------------------------------


def _category_fit(demand: Demand, offering: Offering) -> str:
    wanted = demand.category
    got = offering.category
    if got.pk == wanted.pk:
        return "same_category"
    wanted_top = wanted.parent_id or wanted.pk
    got_top = got.parent_id or got.pk
    return "same_top_category" if wanted_top == got_top else "other"


def _codes(path: str) -> list[str]:
    return [code for code in path.split("/") if code]


def region_fit(demand_path: str, institution_path: str) -> str:
    """Same district (or below), same city, same province, or other."""
    common = 0
    for a, b in zip(_codes(demand_path), _codes(institution_path), strict=False):
        if a != b:
            break
        common += 1
    if common >= 3:
        return "same_district"
    return {2: "same_city", 1: "same_province"}.get(common, "other")


def _load_points(open_orders: int) -> float:
    return MAX_POINTS["load"] / (1 + open_orders / LOAD_HALF)


def _open_orders(institution_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Order.objects.filter(institution_id__in=set(institution_ids), status__in=OPEN_STATUSES)
        .values("institution_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["institution_id"]: row["n"] for row in rows}


def _round(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


# --- ranking -------------------------------------------------------------------------


def _offerings(
    demand: Demand, text_ids: Sequence[int], extra_ids: Sequence[int], today: dt.date | None
) -> list[Offering]:
    category = demand.category
    top_id = category.parent_id or category.pk
    in_category = Q(category_id=top_id) | Q(category__parent_id=top_id)
    condition = in_category | Q(pk__in=list(text_ids)) | Q(pk__in=list(extra_ids))
    offerings = (
        active_offerings(today=today)
        .filter(condition)
        .select_related("institution__region", "category", "qualification")
        .order_by("-institution__rating", "pk")
    )
    found = list(offerings[:CANDIDATES])
    missing = set(extra_ids) - {o.pk for o in found}
    if missing:  # what staff added by hand is always ranked, even beyond the limit
        found += list(
            active_offerings(today=today)
            .filter(pk__in=missing)
            .select_related("institution__region", "category", "qualification")
        )
    return found


def _tokens(offerings: Sequence[Offering]) -> dict[int, frozenset[str]]:
    stored = dict(
        SearchDocument.objects.filter(
            kind=DocKind.OFFERING, object_id__in=[o.pk for o in offerings]
        ).values_list("object_id", "tokens")
    )
    words: dict[int, frozenset[str]] = {}
    for offering in offerings:
        tokens = stored.get(offering.pk)
        if tokens is None:  # not indexed yet (the index follows after commit)
            tokens = text.index_tokens(offering.name, offering.scope, offering.institution.name)
        words[offering.pk] = frozenset(t for t in tokens.split() if _keep(t))
    return words


def rank(
    demand: Demand,
    *,
    extra_offering_ids: Iterable[int] = (),
    limit: int | None = 20,
    today: dt.date | None = None,
) -> list[Candidate]:
    """The best offerings for ``demand``, best first, with the parts of each score.

    ``extra_offering_ids`` are offerings staff added by name: always scored
    and returned (if they can still be ordered), whatever the limit.
    """
    extra_ids = [int(pk) for pk in extra_offering_ids]
    terms = demand_terms(demand)
    offerings = _offerings(demand, _text_candidate_ids(terms), extra_ids, today)
    if not offerings:
        return []
    words = _tokens(offerings)
    lengths = {pk: max(1, len(w)) for pk, w in words.items()}
    similarity, matched = _bm25(terms, words, lengths)
    load = _open_orders(o.institution_id for o in offerings)
    grades = credit_grades_for({o.institution_id for o in offerings})
    recommended = set(
        Recommendation.objects.filter(demand=demand, offering__isnull=False).values_list(
            "offering_id", flat=True
        )
    )
    demand_path = demand.region.path
    candidates = []
    for offering in offerings:
        institution = offering.institution
        category_fit = _category_fit(demand, offering)
        place = region_fit(demand_path, institution.region.path)
        qualification = offering.qualification
        open_orders = load.get(institution.pk, 0)
        rating = float(institution.rating)
        graded = grades.get(institution.pk)
        grade = graded.grade if graded is not None else "none"
        parts: dict[str, dict[str, Any]] = {
            "category": {
                "points": float(CATEGORY_POINTS[category_fit]),
                "detail": category_fit,
                "category": offering.category.name,
            },
            "text": {
                "points": _round(MAX_POINTS["text"] * similarity.get(offering.pk, 0.0)),
                "detail": "matched" if matched.get(offering.pk) else "none",
                "words": matched.get(offering.pk, [])[:8],
            },
            "region": {
                "points": float(REGION_POINTS[place]),
                "detail": place,
                "region": institution.region.name,
            },
            "qualification": {
                "points": float(QUALIFICATION_POINTS["valid" if qualification else "none"]),
                "detail": "valid" if qualification else "none",
                "certificate": f"{qualification.kind} {qualification.number}"
                if qualification
                else "",
                "valid_to": qualification.valid_to.isoformat() if qualification else "",
            },
            "rating": {
                "points": _round(MAX_POINTS["rating"] * min(rating, 5.0) / 5.0),
                "detail": f"{rating:.2f}",
                "count": institution.rating_count,
            },
            "load": {
                "points": _round(_load_points(open_orders)),
                "detail": str(open_orders),
            },
            "credit": {
                "points": CREDIT_POINTS[grade],
                "detail": grade,
                "score": str(graded.score) if graded is not None else "",
            },
        }
        for name, part in parts.items():
            part["max"] = MAX_POINTS[name]
        total = _round(sum(part["points"] for part in parts.values()))
        candidates.append(
            Candidate(
                offering=offering,
                score=total,
                parts=parts,
                already_recommended=offering.pk in recommended,
            )
        )
    candidates.sort(key=lambda c: (-c.score, -float(c.offering.institution.rating), c.offering.pk))
    if limit is None:
        return candidates
    extra = set(extra_ids)
    best = candidates[:limit]
    shown = {c.offering.pk for c in best}
    added = [c for c in candidates[limit:] if c.offering.pk in extra and c.offering.pk not in shown]
    return best + added


def offerings_by_name(query: str, *, limit: int = 20) -> list[int]:
    """Ids of orderable offerings whose name or institution's name holds ``query``
    (staff adding an institution the engine did not put forward)."""
    query = " ".join(query.split())[:50]
    if not query:
        return []
    return list(
        active_offerings()
        .filter(Q(name__icontains=query) | Q(institution__name__icontains=query))
        .order_by("-institution__rating", "pk")
        .values_list("pk", flat=True)[:limit]
    )
