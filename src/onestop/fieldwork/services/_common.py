"""Small helpers shared by the fieldwork services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import InvalidInput
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_for_user, institution_people
from onestop.stations.models import Station


def text(value: str | None, *, field: str, max_length: int, required: bool = True) -> str:
    """Trimmed text, or InvalidInput on ``field`` when missing or too long."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("This information is required."), field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(_("At most %(limit)s characters."), field=field, limit=max_length)
    return cleaned


def require_institution_person(user: Any, institution_id: int) -> Institution:
    """The people of an institution act for it: members of its enterprise."""
    institution = institution_for_user(user)
    if institution is None or institution.pk != institution_id:
        raise authz.NotAllowed()
    return institution


def station_staff(station: Station) -> list[User]:
    return list(authz.holders(Role.STATION_STAFF, station))


def place_people(*, station: Station | None, institution: Institution | None) -> list[User]:
    """Who works at a slot's place: the station's staff or the institution's people."""
    if station is not None:
        return station_staff(station)
    if institution is not None:
        people: QuerySet[User] = institution_people(institution)
        return list(people)
    return []
