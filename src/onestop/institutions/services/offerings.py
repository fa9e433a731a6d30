"""Offerings: what an active institution publishes (SPEC §3.3)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.catalog.models import ItemStatus, ServiceCategory, ServiceItem
from onestop.core.errors import InvalidTransition
from onestop.institutions.models import (
    Institution,
    Offering,
    OfferingStatus,
)
from onestop.institutions.services.rules import (
    TURNAROUND_RANGE,
    FieldError,
    OfferingInput,
    S,
    clean_text,
    local_today,
    lock,
    member_of,
)
from onestop.search.index import refresh_later
from onestop.search.models import DocKind
from onestop.stations.models import StationStatus

# --- offerings -----------------------------------------------------------------------


def require_active(institution: Institution) -> None:
    if institution.status != S.ACTIVE:
        raise InvalidTransition(
            _("Only an active institution can change its offerings (this one is %(status)s)."),
            status=str(S(institution.status).label),
        )


def _category_fits(item: ServiceItem, category: ServiceCategory) -> bool:
    item_category = item.category
    return (
        item_category.pk == category.pk
        or item_category.parent_id == category.pk
        or (category.parent_id is not None and category.parent_id == item_category.pk)
    )


def _price(value: Decimal | None, field: str) -> Decimal | None:
    if value is None:
        return None
    if value < 0:
        raise FieldError(field, _("A price cannot be negative."))
    if value >= Decimal("100000000"):
        raise FieldError(field, _("The price is too large."))
    return value


def _clean_offering(data: OfferingInput, *, institution: Institution) -> OfferingInput:
    if data.category is None:
        raise FieldError("category", _("Choose a service category."))
    service_item = data.service_item
    if service_item is not None:
        if service_item.status != ItemStatus.PUBLISHED:
            raise FieldError("service_item", _("This catalog service is not published."))
        if not _category_fits(service_item, data.category):
            raise FieldError("service_item", _("This catalog service belongs to another category."))
    name = clean_text(data.name, field="name", label=_("name"), high=120)
    scope = clean_text(data.scope, field="scope", label=_("scope"), high=5000)
    qualification = data.qualification
    if qualification is not None:
        if qualification.institution_id != institution.pk:
            raise FieldError(
                "qualification", _("Choose one of your institution's own certificates.")
            )
        today = local_today()
        if qualification.valid_to < today:
            raise FieldError("qualification", _("The chosen qualification has expired."))
        if qualification.valid_from > today:
            raise FieldError("qualification", _("The chosen qualification is not valid yet."))
    price_min = _price(data.price_min, "price_min")
    price_max = _price(data.price_max, "price_max")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise FieldError("price_max", _("The highest price cannot be below the lowest."))
    price_note = (data.price_note or "").strip()
    if len(price_note) > 200:
        raise FieldError("price_note", _("The price note may be at most 200 characters."))
    if price_min is None and price_max is None and not price_note:
        raise FieldError("price_min", _("Give a price or price range, or explain the pricing."))
    low, high = TURNAROUND_RANGE
    days = data.turnaround_working_days
    if days is None or not low <= days <= high:
        raise FieldError(
            "turnaround_working_days",
            _("The turnaround is between %(low)s and %(high)s working days."),
            low=low,
            high=high,
        )
    stations = list(dict.fromkeys(data.stations))
    if any(station.status != StationStatus.ACTIVE for station in stations):
        raise FieldError("stations", _("A chosen station is closed."))
    if not (data.online or data.at_lab or stations):
        raise FieldError(
            "online",
            _("Say where the service is offered: online, at the institution or a station."),
        )
    return dataclasses.replace(
        data,
        name=name,
        scope=scope,
        price_min=price_min,
        price_max=price_max,
        price_note=price_note,
        stations=stations,
    )


def _write_offering(offering: Offering, data: OfferingInput) -> None:
    offering.category = data.category
    offering.service_item = data.service_item
    offering.name = data.name
    offering.scope = data.scope
    offering.qualification = data.qualification
    offering.price_min = data.price_min
    offering.price_max = data.price_max
    offering.price_note = data.price_note
    offering.turnaround_working_days = data.turnaround_working_days
    offering.online = data.online
    offering.at_lab = data.at_lab
    offering.save()
    offering.stations.set(data.stations)


def _snapshot(data: OfferingInput) -> dict[str, Any]:
    return {
        "name": data.name,
        "category": data.category.code,
        "service_item": data.service_item.pk if data.service_item else None,
        "qualification": data.qualification.pk if data.qualification else None,
        "price_min": data.price_min,
        "price_max": data.price_max,
        "price_note": data.price_note,
        "turnaround_working_days": data.turnaround_working_days,
        "online": data.online,
        "at_lab": data.at_lab,
        "stations": [station.pk for station in data.stations],
    }


@transaction.atomic
def offering_create(*, actor: User, institution: Institution, data: OfferingInput) -> Offering:
    """Publish a service of an active institution (WX 7.1.2, SPEC §3.3)."""
    institution = lock(institution)
    member_of(actor, institution)
    require_active(institution)
    cleaned = _clean_offering(data, institution=institution)
    offering = Offering(institution=institution, status=OfferingStatus.PUBLISHED)
    _write_offering(offering, cleaned)
    audit_record(
        actor=actor,
        action="institutions.offering_create",
        obj=offering,
        region=institution.region,
        changes=_snapshot(cleaned),
    )
    refresh_later(DocKind.OFFERING, [offering.pk])
    return offering


def _lock_offering(actor: User, offering: Offering) -> Offering:
    offering = (
        Offering.objects.select_for_update(no_key=True, of=("self",))
        .select_related("institution__region", "category")
        .get(pk=offering.pk)
    )
    member_of(actor, offering.institution)
    require_active(offering.institution)
    return offering


@transaction.atomic
def offering_update(*, actor: User, offering: Offering, data: OfferingInput) -> Offering:
    offering = _lock_offering(actor, offering)
    cleaned = _clean_offering(data, institution=offering.institution)
    _write_offering(offering, cleaned)
    audit_record(
        actor=actor,
        action="institutions.offering_update",
        obj=offering,
        region=offering.institution.region,
        changes=_snapshot(cleaned),
    )
    refresh_later(DocKind.OFFERING, [offering.pk])
    return offering


def _set_offering_status(actor: User, offering: Offering, to: str, action: str) -> Offering:
    offering = _lock_offering(actor, offering)
    if offering.status == to:
        raise InvalidTransition(
            _("The offering is already %(status)s."), status=str(OfferingStatus(to).label)
        )
    offering.status = to
    offering.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=action, obj=offering, region=offering.institution.region)
    refresh_later(DocKind.OFFERING, [offering.pk])
    return offering


@transaction.atomic
def offering_withdraw(*, actor: User, offering: Offering) -> Offering:
    """Take an offering off the public pages and out of search."""
    return _set_offering_status(
        actor, offering, OfferingStatus.WITHDRAWN, "institutions.offering_withdraw"
    )


@transaction.atomic
def offering_publish(*, actor: User, offering: Offering) -> Offering:
    """Publish a withdrawn offering again (its certificate is checked anew)."""
    locked = _lock_offering(actor, offering)
    qualification = locked.qualification
    if qualification is not None and not qualification.is_valid_on(local_today()):
        raise FieldError("qualification", _("The chosen qualification has expired."))
    return _set_offering_status(
        actor, locked, OfferingStatus.PUBLISHED, "institutions.offering_publish"
    )
