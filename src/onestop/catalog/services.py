"""Writes to the service catalog: drafts, publishing (with versions), withdrawal.

The working copy of an item is what staff edit; the public only ever sees
its published versions (snapshots), so editing a published item changes
nothing public until it is published again (WX 4.1.1).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog import manual
from onestop.catalog.models import (
    Channel,
    ItemStatus,
    ServiceCategory,
    ServiceItem,
    ServiceItemVersion,
)
from onestop.core.errors import InvalidInput, InvalidTransition

MANUAL_FIELDS = manual.MANUAL_FIELDS
_URL = URLValidator(schemes=["https", "http"])

# Limits of the working copy (the model's column sizes, and sane list lengths).
MAX_MATERIALS = 40
MAX_STEPS = 30
MAX_STEP_LENGTH = 200
MAX_NOTE_LENGTH = 200
MAX_LINK_LENGTH = 300
MAX_CONDITIONS_LENGTH = 4000


@dataclasses.dataclass(frozen=True)
class Material:
    """One required material: its name, an optional note and an optional template link."""

    name: str
    note: str = ""
    template: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "note": self.note, "template": self.template}


@dataclasses.dataclass(frozen=True)
class ItemDetails:
    """What staff write in the working copy of a manual (WX 4.1.1)."""

    name: str
    summary: str
    conditions: str
    materials: tuple[Material, ...]
    flow: tuple[str, ...]
    time_limit_working_days: int | None
    fees: str
    channel: str
    handled_by: str


def _snapshot(item: ServiceItem) -> dict[str, Any]:
    return manual.snapshot(item)


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


def _template_link(value: str) -> str:
    """A link to a form template: a page of this site (/…) or an http(s) address."""
    if not value:
        return ""
    if len(value) > MAX_LINK_LENGTH:
        raise InvalidInput(
            _("A template link has at most %(n)s characters."),
            field="materials",
            n=MAX_LINK_LENGTH,
        )
    if value.startswith("/") and not value.startswith("//") and " " not in value:
        return value
    try:
        _URL(value)
    except ValidationError:
        raise InvalidInput(
            _("The template link “%(link)s” must be an address starting with https:// or /."),
            field="materials",
            link=value,
        ) from None
    return value


def _clean_materials(materials: Sequence[Material]) -> list[dict[str, str]]:
    if len(materials) > MAX_MATERIALS:
        raise InvalidInput(_("List at most %(n)s materials."), field="materials", n=MAX_MATERIALS)
    cleaned: list[dict[str, str]] = []
    for material in materials:
        name, note = material.name.strip(), material.note.strip()
        if not name:
            raise InvalidInput(_("Every material needs a name."), field="materials")
        if len(name) > 100:
            raise InvalidInput(
                _("The material name “%(name)s” is too long (at most 100 characters)."),
                field="materials",
                name=name[:20],
            )
        if len(note) > MAX_NOTE_LENGTH:
            raise InvalidInput(
                _("A material note has at most %(n)s characters."),
                field="materials",
                n=MAX_NOTE_LENGTH,
            )
        cleaned.append(Material(name, note, _template_link(material.template.strip())).as_dict())
    return cleaned


def _clean_flow(flow: Sequence[str]) -> list[str]:
    steps = [step.strip() for step in flow if step.strip()]
    if not steps:
        raise InvalidInput(_("Describe at least one step of the service flow."), field="flow")
    if len(steps) > MAX_STEPS:
        raise InvalidInput(
            _("The service flow has at most %(n)s steps."), field="flow", n=MAX_STEPS
        )
    for step in steps:
        if len(step) > MAX_STEP_LENGTH:
            raise InvalidInput(
                _("A step has at most %(n)s characters."), field="flow", n=MAX_STEP_LENGTH
            )
    return steps


def _cleaned(details: ItemDetails) -> dict[str, Any]:
    """The working-copy values, trimmed, or the first rule they break as a FieldError."""
    values: dict[str, Any] = {
        "name": details.name.strip(),
        "summary": details.summary.strip(),
        "conditions": details.conditions.strip(),
        "fees": details.fees.strip(),
        "handled_by": details.handled_by.strip(),
    }
    limits = {
        "name": 100,
        "summary": 300,
        "conditions": MAX_CONDITIONS_LENGTH,
        "fees": 200,
        "handled_by": 200,
    }
    for field, length in limits.items():
        if not values[field]:
            raise InvalidInput(_("This part of the manual is required."), field=field)
        if len(values[field]) > length:
            raise InvalidInput(_("At most %(n)s characters."), field=field, n=length)
    if details.channel not in Channel.values:
        raise InvalidInput(_("Choose how the service is applied for."), field="channel")
    limit = details.time_limit_working_days
    if limit is not None and not 1 <= limit <= 365:
        raise InvalidInput(
            _("The time limit must be 1 to 365 working days."),
            field="time_limit_working_days",
        )
    values.update(
        channel=details.channel,
        time_limit_working_days=limit,
        materials=_clean_materials(details.materials),
        flow=_clean_flow(details.flow),
    )
    return values


def _check_unique_name(name: str, *, exclude: int | None = None) -> None:
    clash = ServiceItem.objects.filter(name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise InvalidInput(_("Another service item already has this name."), field="name")


def _refresh_search(item: ServiceItem) -> None:
    # Imported here: the search index imports every public model, this one included.
    from onestop.search.index import refresh_later
    from onestop.search.models import DocKind

    refresh_later(DocKind.ITEM, [item.pk])


@transaction.atomic
def item_create_draft(
    *, actor: User, category: ServiceCategory, details: ItemDetails
) -> ServiceItem:
    """A new service item, as a draft nobody outside the workbench sees."""
    authz.require(actor, authz.Perm.CATALOG_MANAGE)
    if category.parent_id is None:
        raise InvalidInput(
            _("Choose a sub-category of one of the twelve categories."), field="category"
        )
    values = _cleaned(details)
    _check_unique_name(values["name"])
    item = ServiceItem.objects.create(category=category, status=ItemStatus.DRAFT, **values)
    audit_record(
        actor=actor,
        action="catalog.create",
        obj=item,
        changes={"category": category.code, **values},
    )
    return item


@transaction.atomic
def item_update_draft(*, actor: User, item: ServiceItem, details: ItemDetails) -> ServiceItem:
    """Change the working copy. A published item stays as published (its last
    version) until it is published again."""
    authz.require(actor, authz.Perm.CATALOG_MANAGE)
    locked = ServiceItem.objects.select_for_update(no_key=True).get(pk=item.pk)
    values = _cleaned(details)
    _check_unique_name(values["name"], exclude=locked.pk)
    changed = {
        field: [getattr(locked, field), value]
        for field, value in values.items()
        if getattr(locked, field) != value
    }
    if not changed:
        return locked
    for field, value in values.items():
        setattr(locked, field, value)
    locked.save(update_fields=[*values, "updated_at"])
    audit_record(actor=actor, action="catalog.update", obj=locked, changes=changed)
    return locked


@transaction.atomic
def item_publish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Publish the working copy as a new version (WX 4.1.1); earlier ones are kept."""
    if actor is not None:
        authz.require(actor, authz.Perm.CATALOG_MANAGE)
    item = (
        ServiceItem.objects.select_for_update(no_key=True)
        .select_related("category")
        .get(pk=item.pk)
    )
    _validate(item)
    if item.status == ItemStatus.PUBLISHED:
        current = ServiceItemVersion.objects.filter(item=item, number=item.version).first()
        if current is not None and current.snapshot == _snapshot(item):
            raise InvalidTransition(_("Nothing has changed since the published version."))
    item.version += 1
    item.status = ItemStatus.PUBLISHED
    item.save(update_fields=["version", "status", "updated_at"])
    ServiceItemVersion.objects.create(
        item=item, number=item.version, snapshot=_snapshot(item), published_by=actor
    )
    audit_record(actor=actor, action="catalog.publish", obj=item, changes={"version": item.version})
    _refresh_search(item)
    return item


@transaction.atomic
def item_withdraw(*, actor: User, item: ServiceItem, reason: str) -> ServiceItem:
    authz.require(actor, authz.Perm.CATALOG_MANAGE)
    item = ServiceItem.objects.select_for_update(no_key=True).get(pk=item.pk)
    if item.status != ItemStatus.PUBLISHED:
        raise InvalidTransition(_("Only a published item can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Give the reason for withdrawing the item."), field="reason")
    if len(reason) > 500:
        raise InvalidInput(_("At most %(n)s characters."), field="reason", n=500)
    item.status = ItemStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="catalog.withdraw", obj=item, changes={"reason": reason})
    _refresh_search(item)
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
