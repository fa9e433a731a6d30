"""Reads of the public catalog: only published items, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from onestop.catalog.models import ItemStatus, ServiceCategory, ServiceItem
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
