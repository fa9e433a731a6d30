"""Reads of the expert pool.

The public directory sees experts in the pool and never their contacts: the
public querysets do not even load the contact columns. The workbench sees
what Perm.EXPERT_MANAGE covers, contacts included. Each read is a fixed
number of queries.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.catalog.models import ServiceCategory
from onestop.core.errors import NotFound
from onestop.experts.models import Expert
from onestop.regions.models import Region

CONTACT_FIELDS = ("contact_phone", "contact_email")


class ExpertNotFound(NotFound):
    code = "expert_not_found"
    default_message = _("No such expert.")


class UnknownCategory(NotFound):
    code = "unknown_category"
    default_message = _("No such field of expertise.")


def _with_categories(experts: QuerySet[Expert]) -> QuerySet[Expert]:
    # Catalog order: a top-level field, then its sub-fields.
    fields = ServiceCategory.objects.order_by(
        Coalesce("parent__position", "position"),
        F("parent").asc(nulls_first=True),
        "position",
        "code",
    )
    return experts.select_related("region").prefetch_related(Prefetch("categories", fields))


def _in_category(experts: QuerySet[Expert], category: ServiceCategory) -> QuerySet[Expert]:
    """Experts of the field, or of any of its sub-fields when it is a top-level one."""
    links = Expert.categories.through.objects.filter(
        Q(servicecategory=category) | Q(servicecategory__parent=category)
    )
    return experts.filter(pk__in=links.values("expert_id"))


def _serving(region: Region) -> Q:
    """Experts of the region's subtree and of the regions above it (a city's
    pool serves its districts too)."""
    above = [code for code in region.path.split("/") if code and code != region.code]
    return Q(region__path__startswith=region.path) | Q(region__code__in=above)


def category_find(*, code: str) -> ServiceCategory | None:
    """The category with this code; None for no code, NotFound for an unknown one."""
    code = (code or "").strip()
    if not code:
        return None
    category = ServiceCategory.objects.filter(code=code).first()
    if category is None:
        raise UnknownCategory()
    return category


def category_choices() -> list[tuple[str, str]]:
    """(code, label) of every field, each top-level one followed by its sub-fields."""
    categories = list(ServiceCategory.objects.order_by("position", "code"))
    tops = [c for c in categories if c.parent_id is None]
    choices: list[tuple[str, str]] = []
    for top in tops:
        choices.append((top.code, top.name))
        choices += [(c.code, f"— {c.name}") for c in categories if c.parent_id == top.pk]
    return choices


def experts_public(
    *, region: Region | None = None, category: ServiceCategory | None = None
) -> QuerySet[Expert]:
    """Experts in the pool serving ``region`` in ``category``, without contacts."""
    experts = Expert.objects.filter(active=True).defer(*CONTACT_FIELDS)
    if region is not None:
        experts = experts.filter(_serving(region))
    if category is not None:
        experts = _in_category(experts, category)
    return _with_categories(experts).order_by("name", "id")


def expert_public(*, expert_id: int) -> Expert:
    """One expert of the pool for the public page, without contacts."""
    expert = _with_categories(
        Expert.objects.filter(active=True, pk=expert_id).defer(*CONTACT_FIELDS)
    ).first()
    if expert is None:
        raise ExpertNotFound()
    return expert


def experts_managed(
    *,
    user: Any,
    category: ServiceCategory | None = None,
    availability: str = "",
    removed: bool = False,
) -> QuerySet[Expert]:
    """The experts (contacts included) in the regions where the user keeps the
    pool: those in it, or with ``removed`` those taken out."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    experts = scope.filter(Expert.objects.filter(active=not removed), "region")
    if category is not None:
        experts = _in_category(experts, category)
    if availability:
        experts = experts.filter(availability=availability)
    return _with_categories(experts).order_by("region__path", "name", "id")


def expert_get_managed(*, user: Any, expert_id: int) -> Expert:
    """An expert the user may manage; others are "not found", not "forbidden",
    so ids outside the user's regions reveal nothing."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    expert = _with_categories(scope.filter(Expert.objects.filter(pk=expert_id), "region")).first()
    if expert is None:
        raise ExpertNotFound()
    return expert


def managed_regions(user: Any) -> QuerySet[Region]:
    """The regions where the user may put experts."""
    scope = authz.region_scope(user, authz.Perm.EXPERT_MANAGE)
    return scope.filter(Region.objects.order_by("path"), "")
