"""What the fieldwork reads share: the stations a user handles and who may
take their tasks, an order looked up by number for staff, and the
institution a user acts for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import NotFound
from onestop.fieldwork.scope import PERM, fieldwork_scope
from onestop.institutions.models import Institution
from onestop.institutions.selectors import institution_for_user
from onestop.orders.models import Order
from onestop.stations.models import Station, StationStatus


class OrderNotFound(NotFound):
    code = "order_not_found"
    default_message = _("No order with this number in your area.")


class NotAnInstitution(authz.NotAllowed):
    default_message = _("These pages are for the people of an onboarded service institution.")


# --- stations and people ------------------------------------------------------------------


def stations_handled(*, user: Any) -> QuerySet[Station]:
    """Active stations whose fieldwork the user handles."""
    scope = fieldwork_scope(user)
    if scope.empty:
        return Station.objects.none()
    return (
        Station.objects.filter(scope.q(region="region", station="pk"), status=StationStatus.ACTIVE)
        .select_related("region")
        .order_by("region__path", "name")
    )


def station_handled(*, user: Any, station_id: int | str | None) -> Station:
    try:
        pk = int(station_id or 0)
    except (TypeError, ValueError):
        pk = 0
    station = stations_handled(user=user).filter(pk=pk).first()
    if station is None:
        raise NotFound(_("No such station among those you handle."), field="station")
    return station


def assignable_people(station: Station) -> list[User]:
    """Who may take a proxy task of this station: its own staff, then center
    staff over its region (two queries)."""
    own = list(authz.holders(Role.STATION_STAFF, station).order_by("display_name", "pk"))
    seen = {person.pk for person in own}
    center = [
        person
        for person in authz.holders_over(Role.CENTER_STAFF, station.region).order_by(
            "display_name", "pk"
        )
        if person.pk not in seen
    ]
    return own + center


def order_for_staff(*, user: Any, number: str) -> Order:
    """An order by its number, if it lies in the user's regions for fieldwork
    or is handled on the user's behalf by a station the user handles."""
    order = (
        Order.objects.select_related(
            "region", "user", "institution", "offering", "proxy_station__region"
        )
        .filter(number=(number or "").strip().upper())
        .first()
    )
    if order is None:
        raise OrderNotFound(field="order")
    if authz.has_perm(user, PERM, order.region):
        return order
    if order.proxy_station is not None and fieldwork_scope(user).covers_station(
        order.proxy_station
    ):
        return order
    raise OrderNotFound(field="order")


def own_institution(*, user: Any) -> Institution:
    """The institution the user acts for, or refused."""
    institution = institution_for_user(user)
    if institution is None:
        raise NotAnInstitution()
    return institution
