"""Keeps the search index in step with what the public may see.

Each kind has a builder that turns source rows into SearchDocument rows;
only public things get one (published items and offerings of active
institutions, active institutions, experts in the pool, active stations).
Modules that change such things call ``refresh_later(kind, ids)``; the
documents are rebuilt after their transaction commits, so a rolled-back
change never reaches the index. ``rebuild()`` redoes everything (the
``search_rebuild`` command; after a synonym change, since synonyms change
how text is segmented).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from onestop.catalog.models import ItemStatus, ServiceCategory, ServiceItem
from onestop.core import pagecache
from onestop.experts.models import Availability, Expert
from onestop.institutions.models import (
    Institution,
    InstitutionStatus,
    Offering,
    OfferingStatus,
    Qualification,
)
from onestop.search import text
from onestop.search.models import DocKind, SearchDocument
from onestop.stations.models import Station, StationStatus

BATCH = 500


def _codes(categories: Iterable[ServiceCategory]) -> str:
    """ " metrology metrology-calibration " — each category and its parent."""
    codes: dict[str, None] = {}
    for category in categories:
        if category.parent is not None:
            codes.setdefault(category.parent.code, None)
        codes.setdefault(category.code, None)
    return f" {' '.join(codes)} " if codes else ""


def _names(categories: Iterable[ServiceCategory]) -> list[str]:
    names: list[str] = []
    for category in categories:
        if category.parent is not None:
            names.append(category.parent.name)
        names.append(category.name)
    return names


def _price(offering: Offering) -> str:
    def yuan(value: Decimal) -> str:
        return f"{value.normalize():f}"

    low, high = offering.price_min, offering.price_max
    if low is not None and high is not None and low != high:
        return _("%(low)s–%(high)s yuan") % {"low": yuan(low), "high": yuan(high)}
    if low is not None or high is not None:
        only = low if low is not None else high
        return _("%(price)s yuan") % {"price": yuan(only)} if only is not None else ""
    return offering.price_note


# Kinds in the order they are shown when nothing else tells them apart.
KIND_ORDER = (DocKind.ITEM, DocKind.OFFERING, DocKind.INSTITUTION, DocKind.STATION, DocKind.EXPERT)
# Official entries (the catalog, stations) rank as the best-rated
# institutions; experts, who have no rating, in the middle.
NOMINAL_RATING = {DocKind.ITEM: Decimal(5), DocKind.STATION: Decimal(5), DocKind.EXPERT: Decimal(3)}


def boost(kind: str, *, active: bool, rating: Decimal) -> int:
    """The query-independent rank: active first, then rating, then kind."""
    rating = NOMINAL_RATING.get(DocKind(kind), rating)
    kind_bonus = len(KIND_ORDER) - KIND_ORDER.index(DocKind(kind))
    return int(active) * 100_000 + int(rating * 100) * 10 + kind_bonus


def _doc(
    kind: str, object_id: int, title: str, body_parts: Sequence[str], **fields: Any
) -> SearchDocument:
    body = "\n".join(part for part in body_parts if part)
    fields["boost"] = boost(
        kind, active=fields.get("active", True), rating=fields.get("rating", Decimal(0))
    )
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        title=title[:300],
        body=body,
        tokens=text.index_tokens(title, fields.get("subtitle", ""), body),
        **fields,
    )


# --- builders: each takes ids (or None for all) and yields documents --------


def _items(ids: Sequence[int] | None) -> Iterator[SearchDocument]:
    items = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).select_related(
        "category__parent"
    )
    if ids is not None:
        items = items.filter(pk__in=ids)
    for item in items.prefetch_related("versions").order_by("pk").iterator(chunk_size=BATCH):
        versions = list(item.versions.all())
        manual = versions[0].snapshot if versions else {}
        channel = manual.get("channel", item.channel)
        materials = [
            m.get("name", "") if isinstance(m, dict) else str(m)
            for m in manual.get("materials", [])
        ]
        flow = [
            s.get("name", "") if isinstance(s, dict) else str(s) for s in manual.get("flow", [])
        ]
        yield _doc(
            DocKind.ITEM,
            item.pk,
            manual.get("name", item.name),
            [
                manual.get("summary", ""),
                manual.get("conditions", ""),
                *materials,
                *flow,
                manual.get("handled_by", ""),
                *_names([item.category]),
            ],
            subtitle=" · ".join([item.category.name, manual.get("handled_by", "")]),
            url=reverse("catalog:item", args=[item.pk]),
            categories=_codes([item.category]),
            online=channel in ("online", "both"),
            offline=channel in ("offline", "both"),
        )


def _qualification_kinds(qualifications: Iterable[Qualification], today: dt.date) -> str:
    kinds = sorted({q.kind for q in qualifications if q.valid_to >= today})
    return f" {' '.join(kinds)} " if kinds else ""


def _offerings(ids: Sequence[int] | None) -> Iterator[SearchDocument]:
    today = dt.date.today()
    offerings = (
        Offering.objects.filter(
            status=OfferingStatus.PUBLISHED, institution__status=InstitutionStatus.ACTIVE
        )
        .select_related("institution__region", "category__parent", "service_item", "qualification")
        .prefetch_related(
            Prefetch("stations", queryset=Station.objects.filter(status=StationStatus.ACTIVE))
        )
    )
    if ids is not None:
        offerings = offerings.filter(pk__in=ids)
    for offering in offerings.order_by("pk").iterator(chunk_size=BATCH):
        institution = offering.institution
        qualification = offering.qualification
        stations = list(offering.stations.all())
        where = [_("online")] if offering.online else []
        if offering.at_lab:
            where.append(_("at the institution"))
        where += [s.name for s in stations]
        subtitle = " · ".join(
            part
            for part in [
                institution.name,
                institution.region.name,
                _("%(days)s working days") % {"days": offering.turnaround_working_days},
                _price(offering),
            ]
            if part
        )
        yield _doc(
            DocKind.OFFERING,
            offering.pk,
            offering.name,
            [
                offering.scope,
                institution.name,
                institution.get_kind_display(),
                offering.service_item.name if offering.service_item else "",
                qualification.get_kind_display() if qualification else "",
                qualification.kind if qualification else "",
                *_names([offering.category]),
                *where,
            ],
            subtitle=subtitle,
            url=reverse("institutions:offering", args=[offering.pk]),
            region_path=institution.region.path,
            categories=_codes([offering.category]),
            qualifications=f" {qualification.kind} "
            if qualification and qualification.valid_to >= today
            else "",
            online=offering.online,
            offline=offering.at_lab or bool(stations),
            rating=institution.rating,
            valid_until=qualification.valid_to if qualification else None,
        )


def _institutions(ids: Sequence[int] | None) -> Iterator[SearchDocument]:
    today = dt.date.today()
    institutions = (
        Institution.objects.filter(status=InstitutionStatus.ACTIVE)
        .select_related("region")
        .prefetch_related(
            "qualifications",
            Prefetch(
                "offerings",
                queryset=Offering.objects.filter(status=OfferingStatus.PUBLISHED).select_related(
                    "category__parent"
                ),
            ),
        )
    )
    if ids is not None:
        institutions = institutions.filter(pk__in=ids)
    for institution in institutions.order_by("pk").iterator(chunk_size=BATCH):
        qualifications = list(institution.qualifications.all())
        offerings = list(institution.offerings.all())
        categories = [o.category for o in offerings]
        yield _doc(
            DocKind.INSTITUTION,
            institution.pk,
            institution.name,
            [
                institution.get_kind_display(),
                institution.description,
                institution.address,
                *[q.scope for q in qualifications if q.valid_to >= today],
                *[q.kind for q in qualifications if q.valid_to >= today],
                *dict.fromkeys(_names(categories)),
            ],
            subtitle=" · ".join([institution.get_kind_display(), institution.region.name]),
            url=reverse("institutions:detail", args=[institution.pk]),
            region_path=institution.region.path,
            categories=_codes(categories),
            qualifications=_qualification_kinds(qualifications, today),
            online=any(o.online for o in offerings),
            offline=True,
            rating=institution.rating,
        )


def _experts(ids: Sequence[int] | None) -> Iterator[SearchDocument]:
    experts = (
        Expert.objects.filter(active=True)
        .select_related("region")
        .prefetch_related(
            Prefetch("categories", queryset=ServiceCategory.objects.select_related("parent"))
        )
    )
    if ids is not None:
        experts = experts.filter(pk__in=ids)
    for expert in experts.order_by("pk").iterator(chunk_size=BATCH):
        categories = list(expert.categories.all())
        # Contact details are never indexed: the directory hides them.
        yield _doc(
            DocKind.EXPERT,
            expert.pk,
            expert.name,
            [expert.specialties, expert.qualifications, *_names(categories)],
            subtitle=" · ".join([expert.title, expert.organisation, expert.region.name]),
            url=reverse("experts:detail", args=[expert.pk]),
            region_path=expert.region.path,
            categories=_codes(categories),
            online=False,
            offline=False,
            active=expert.availability != Availability.UNAVAILABLE,
        )


def _stations(ids: Sequence[int] | None) -> Iterator[SearchDocument]:
    stations = Station.objects.filter(status=StationStatus.ACTIVE).select_related("region")
    if ids is not None:
        stations = stations.filter(pk__in=ids)
    for station in stations.order_by("pk").iterator(chunk_size=BATCH):
        yield _doc(
            DocKind.STATION,
            station.pk,
            station.name,
            [station.services, station.methods, station.address, station.get_kind_display()],
            subtitle=" · ".join([station.get_tier_display(), station.region.name, station.address]),
            url=reverse("stations:detail", args=[station.pk]),
            region_path=station.region.path,
            online=False,
            offline=True,
        )


BUILDERS: dict[str, Callable[[Sequence[int] | None], Iterator[SearchDocument]]] = {
    DocKind.ITEM: _items,
    DocKind.OFFERING: _offerings,
    DocKind.INSTITUTION: _institutions,
    DocKind.EXPERT: _experts,
    DocKind.STATION: _stations,
}


# Attempts of one refresh when concurrent refreshes of the same objects collide.
REFRESH_ATTEMPTS = 3


def _write(kind: str, ids: Sequence[int] | None) -> int:
    builder = BUILDERS[kind]
    stale = SearchDocument.objects.filter(kind=kind)
    if ids is not None:
        stale = stale.filter(object_id__in=ids)
    stale.delete()
    written = 0
    batch: list[SearchDocument] = []
    for document in builder(ids):
        batch.append(document)
        if len(batch) >= BATCH:
            SearchDocument.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    SearchDocument.objects.bulk_create(batch)
    return written + len(batch)


def _lock_objects(kind: str, ids: Sequence[int]) -> None:
    """On PostgreSQL, serialise refreshes of the same objects: a transaction-
    scoped advisory lock per (kind, id), taken in id order (no deadlocks).
    The second refresh then runs after the first committed and replaces its
    documents instead of colliding with them."""
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), x) FROM unnest(%s::int[]) AS x ORDER BY x",
            [f"search:{kind}", sorted(ids)],
        )


def _write_retrying(kind: str, ids: Sequence[int]) -> int:
    """_write in a savepoint, again when a concurrent refresh of the same
    objects inserted their documents first (the unique constraint): the next
    attempt sees and replaces them."""
    _lock_objects(kind, ids)
    for attempt in range(REFRESH_ATTEMPTS):
        try:
            with transaction.atomic():
                return _write(kind, ids)
        except IntegrityError:
            if attempt == REFRESH_ATTEMPTS - 1:
                raise
    return 0  # pragma: no cover - the loop returns or raises


@transaction.atomic
def refresh(kind: str, ids: Iterable[int]) -> int:
    """Rebuild the documents of these objects now (removing those no longer public)."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    written = 0
    for start in range(0, len(wanted), BATCH):
        written += _write_retrying(kind, wanted[start : start + BATCH])
    # An institution's page lists what it offers, so its document follows.
    if kind == DocKind.OFFERING:
        owners = Offering.objects.filter(pk__in=wanted).values_list("institution_id", flat=True)
        written += _write_retrying(DocKind.INSTITUTION, sorted(set(owners)))
    pagecache.invalidate_on_commit()
    return written


def refresh_later(kind: str, ids: Iterable[int]) -> None:
    """Rebuild after the current transaction commits (now, outside one)."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown search document kind {kind!r}")
    # robust: the change is committed; an index that could not follow is
    # logged and caught up by the daily rebuild, never a failed request.
    transaction.on_commit(partial(refresh, kind, list(ids)), robust=True)


@transaction.atomic
def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Rebuild the whole index (or the given kinds) in one transaction."""
    from onestop.search.synonyms import synonym_map

    text.learn(word for words in synonym_map().values() for word in words)
    pagecache.invalidate_on_commit()
    return {kind: _write(kind, None) for kind in (kinds or BUILDERS)}


def refresh_institution(institution_id: int) -> None:
    """After an institution's status or details change: it and all its offerings."""
    offering_ids = list(
        Offering.objects.filter(institution_id=institution_id).values_list("pk", flat=True)
    )
    refresh_later(DocKind.INSTITUTION, [institution_id])
    refresh_later(DocKind.OFFERING, offering_ids)
