"""Writes to the service catalog: drafts, publishing (with versions), withdrawal."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import (
    Channel,
    ItemStatus,
    ServiceCategory,
    ServiceItem,
    ServiceItemVersion,
)
from onestop.core.errors import InvalidInput, InvalidTransition

# What a published version freezes: the manual as the public reads it.
MANUAL_FIELDS = (
    "name",
    "summary",
    "conditions",
    "materials",
    "flow",
    "time_limit_working_days",
    "fees",
    "channel",
    "handled_by",
    "clauses",
)


def _snapshot(item: ServiceItem) -> dict[str, Any]:
    data = {name: getattr(item, name) for name in MANUAL_FIELDS}
    data["category"] = item.category.code
    return data


def _validate(item: ServiceItem) -> None:
    if not item.name.strip() or not item.summary.strip() or not item.conditions.strip():
        raise InvalidInput(_("Name, summary and acceptance conditions are required."))
    if item.channel not in Channel.values:
        raise InvalidInput(_("Choose how the service is applied for."))
    if not item.flow:
        raise InvalidInput(_("Describe at least one step of the service flow."))
    limit = item.time_limit_working_days
    if limit is not None and not 1 <= limit <= 365:
        raise InvalidInput(_("The time limit must be 1 to 365 working days."))


@transaction.atomic
def item_publish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Publish the working copy as a new version (WX 4.1.1); earlier ones are kept."""
    if actor is not None:
        authz.require(actor, authz.Perm.CATALOG_MANAGE)
    item = ServiceItem.objects.select_for_update().select_related("category").get(pk=item.pk)
    _validate(item)
    item.version += 1
    item.status = ItemStatus.PUBLISHED
    item.save(update_fields=["version", "status", "updated_at"])
    ServiceItemVersion.objects.create(
        item=item, number=item.version, snapshot=_snapshot(item), published_by=actor
    )
    audit_record(actor=actor, action="catalog.publish", obj=item, changes={"version": item.version})
    return item


@transaction.atomic
def item_withdraw(*, actor: User, item: ServiceItem, reason: str) -> ServiceItem:
    authz.require(actor, authz.Perm.CATALOG_MANAGE)
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.PUBLISHED:
        raise InvalidTransition(_("Only a published item can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason for withdrawing the item."))
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="catalog.withdraw", obj=item, changes={"reason": reason})
    return item


@transaction.atomic
def catalog_load_bundled(*, actor: User | None = None) -> int:
    """Load the bundled catalog (every service clause of LZ 7, HM 4.2, WX 6); idempotent.

    Items are published as version 1 the first time; existing items are left
    as the service center has edited them.
    """
    data = json.loads(
        resources.files("onestop.catalog").joinpath("data/catalog.json").read_text("utf-8")
    )
    for position, node in enumerate(data["categories"]):
        parent, _created = ServiceCategory.objects.update_or_create(
            code=node["code"], defaults={"name": node["name"], "position": position, "parent": None}
        )
        for sub_position, child in enumerate(node["children"]):
            ServiceCategory.objects.update_or_create(
                code=child["code"],
                defaults={"name": child["name"], "position": sub_position, "parent": parent},
            )
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    created = 0
    for entry in data["items"]:
        if ServiceItem.objects.filter(name=entry["name"]).exists():
            continue
        item = ServiceItem.objects.create(
            category=categories[entry["category"]],
            name=entry["name"],
            summary=entry["summary"],
            conditions=entry["conditions"],
            materials=entry["materials"],
            flow=entry["flow"],
            time_limit_working_days=entry["time_limit_working_days"],
            fees=entry["fees"],
            channel=entry["channel"],
            handled_by=entry["handled_by"],
            clauses=[entry["clause"]],
        )
        item_publish(actor=actor, item=item)
        created += 1
    return created
