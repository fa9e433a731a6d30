"""Reads of the catalog: the public pages and printable manual (only published
versions) and the workbench editor, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet, Sum

from onestop.catalog import manual
from onestop.catalog.models import (
    Channel,
    ItemStatus,
    ServiceCategory,
    ServiceItem,
    ServiceItemVersion,
)
from onestop.core.errors import NotFound


@dataclass(frozen=True)
class CategoryNode:
    category: ServiceCategory
    children: list[ServiceCategory]


def category_tree() -> list[CategoryNode]:
    """The twelve categories with their sub-categories and published-item counts."""
    published = Q(items__status=ItemStatus.PUBLISHED)
    children = ServiceCategory.objects.annotate(published=Count("items", filter=published))
    tops = ServiceCategory.objects.filter(parent__isnull=True).prefetch_related(
        Prefetch("children", queryset=children.order_by("position", "code"))
    )
    return [CategoryNode(top, list(top.children.all())) for top in tops.order_by("position")]


def category_get(*, code: str) -> ServiceCategory:
    category = ServiceCategory.objects.select_related("parent").filter(code=code).first()
    if category is None:
        raise NotFound()
    return category


def published_items(*, category: ServiceCategory | None = None) -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).select_related("category")
    if category is not None:
        items = items.filter(Q(category=category) | Q(category__parent=category))
    return items.order_by("category__position", "name")


def published_item(*, item_id: int) -> ServiceItem:
    """A published item with its version history (for the manual page)."""
    item = (
        published_items()
        .select_related("category__parent")
        .prefetch_related("versions")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise NotFound()
    return item


# --- the printable operation manual (WX 4.1.1) --------------------------------------


@dataclass(frozen=True)
class Manual:
    """One item's published manual: the item (category and parent loaded) and
    the version the public sees."""

    item: ServiceItem
    version: ServiceItemVersion

    @property
    def snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = self.version.snapshot
        return data

    @property
    def channel_label(self) -> str:
        channel = self.snapshot.get("channel", "")
        return str(Channel(channel).label) if channel in Channel.values else ""


@dataclass(frozen=True)
class ManualSection:
    """One of the twelve top categories and the manuals filed under it."""

    category: ServiceCategory
    manuals: list[Manual]


def _current_versions() -> QuerySet[ServiceItemVersion]:
    """The version each published item shows (its number is the item's version)."""
    return ServiceItemVersion.objects.filter(
        item__status=ItemStatus.PUBLISHED, number=F("item__version")
    ).select_related("item__category__parent")


def published_manual(*, item_id: int) -> Manual:
    """The published manual of one item, in one query; drafts and withdrawn items are 404."""
    version = _current_versions().filter(item_id=item_id).first()
    if version is None:
        raise NotFound()
    return Manual(item=version.item, version=version)


def published_manuals() -> list[ManualSection]:
    """Every published manual grouped under the twelve categories, in catalog order
    (two queries)."""
    tops = list(ServiceCategory.objects.filter(parent__isnull=True).order_by("position", "code"))
    sections = {top.pk: ManualSection(top, []) for top in tops}

    def order(manual: Manual) -> tuple[int, str, str]:
        category = manual.item.category
        sub = (category.position, category.code) if category.parent_id else (-1, "")
        return (sub[0], sub[1], manual.snapshot.get("name", ""))

    for version in _current_versions():
        category = version.item.category
        top_id = category.parent_id or category.pk
        if top_id in sections:
            sections[top_id].manuals.append(Manual(item=version.item, version=version))
    for section in sections.values():
        section.manuals.sort(key=order)
    return list(sections.values())


def catalog_publication_stamp() -> str:
    """Changes whenever the published catalog does: the latest publication time,
    with the number and ids of the versions shown (a withdrawal publishes
    nothing but shrinks the set). One query."""
    found = _current_versions().aggregate(
        latest=Max("published_at"), count=Count("pk"), ids=Sum("pk")
    )
    latest = found["latest"].isoformat() if found["latest"] else "none"
    return f"{latest}|{found['count']}|{found['ids'] or 0}"


# --- the workbench editor ------------------------------------------------------------


@dataclass(frozen=True)
class ManagedItem:
    """A row of the editor's list: the working copy and how it stands to the public."""

    item: ServiceItem
    current: ServiceItemVersion | None

    @property
    def unpublished_changes(self) -> bool:
        """Whether the working copy differs from the version the public sees (or saw)."""
        if self.current is None:
            return True
        return bool(self.current.snapshot != manual.snapshot(self.item))


def _with_current_version(items: QuerySet[ServiceItem]) -> QuerySet[ServiceItem]:
    return items.select_related("category__parent").prefetch_related(
        Prefetch(
            "versions",
            queryset=ServiceItemVersion.objects.filter(number=F("item__version")),
            to_attr="current_versions",
        )
    )


def managed(item: ServiceItem) -> ManagedItem:
    """Wrap an item loaded by items_for_management/item_get_for_management."""
    versions: list[ServiceItemVersion] = getattr(item, "current_versions", [])
    return ManagedItem(item=item, current=versions[0] if versions else None)


def items_for_management(
    *, category: ServiceCategory | None = None, status: str = ""
) -> QuerySet[ServiceItem]:
    """Every item, drafts and withdrawn ones included, optionally of one category
    (a top category includes its sub-categories) and one status."""
    items = ServiceItem.objects.all()
    if category is not None:
        items = items.filter(Q(category=category) | Q(category__parent=category))
    if status:
        items = items.filter(status=status)
    return _with_current_version(items).order_by(
        "category__parent__position", "category__position", "name", "pk"
    )


def item_get_for_management(*, item_id: int) -> ManagedItem:
    item = _with_current_version(ServiceItem.objects.filter(pk=item_id)).first()
    if item is None:
        raise NotFound()
    return managed(item)


def item_versions(*, item: ServiceItem) -> list[ServiceItemVersion]:
    """All published versions of an item, newest first, with who published each."""
    return list(item.versions.select_related("published_by").order_by("-number"))


def category_choices() -> list[tuple[ServiceCategory, list[ServiceCategory]]]:
    """The twelve categories with their sub-categories (one query), for pickers."""
    categories = list(ServiceCategory.objects.select_related("parent").order_by("position", "code"))
    tops = [c for c in categories if c.parent_id is None]
    return [(top, [c for c in categories if c.parent_id == top.pk]) for top in tops]
