"""What stations and the service center do on orders: escalation
(HM 4.3.3.2) and proxy handling on the user's behalf (WX 5.3 b, HM 4.2.5.2)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import User
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.notifications.services import notify
from onestop.orders.models import EventKind, Order, Party
from onestop.orders.services.common import (
    audit,
    center_people,
    clean_note,
    lock,
    record_event,
    station_people,
    tell_sides,
)
from onestop.stations.models import Station, StationStatus


def _staff(actor: User, order: Order) -> Order:
    """The order locked, if the actor handles fieldwork in its region."""
    order = lock(order)
    authz.require(actor, authz.Perm.FIELDWORK_HANDLE, order.region)
    return order


@transaction.atomic
def order_escalate(*, actor: User, order: Order, reason: str) -> Order:
    """A station marks an open order it cannot solve (HM 4.3.3.2): it joins
    the service center's escalation queue, with its history, until it ends."""
    order = _staff(actor, order)
    text = clean_note(reason, required=True, label=_("reason for escalation"))
    if not order.is_open:
        raise InvalidTransition(_("Only an open order can be escalated."))
    if order.escalated_at is not None:
        raise InvalidTransition(_("This order has already been escalated."))
    order.escalated_at = timezone.now()
    order.escalation_reason = text
    order.save(update_fields=["escalated_at", "escalation_reason", "updated_at"])
    record_event(order=order, actor=actor, party=Party.STAFF, note=text, kind=EventKind.ESCALATED)
    audit(actor, "orders.escalate", order, reason=text)
    notify(
        recipients=[p for p in center_people(order) if p.pk != actor.pk],
        kind="orders.escalated",
        title=str(_("Order %(number)s escalated to the service center") % {"number": order.number}),
        body=text,
        url=order.staff_url,
        channels_=["sms"],
    )
    return order


@transaction.atomic
def order_set_proxy(*, actor: User, order: Order, station: Station | None, note: str = "") -> Order:
    """A station (or the center) takes the order over on the user's behalf
    (WX 5.3 b); ``station=None`` hands it back to the user. Its fieldwork
    staff may then do what the user may do (rules)."""
    order = _staff(actor, order)
    text = clean_note(note, required=False, label=_("note"))
    if not order.is_open:
        raise InvalidTransition(_("Only an open order can be handled on the user's behalf."))
    if station is not None:
        if station.status != StationStatus.ACTIVE:
            raise InvalidInput(_("Choose an active station."), field="station")
        authz.require(actor, authz.Perm.FIELDWORK_HANDLE, station.region)
    if (station.pk if station else None) == order.proxy_station_id:
        raise InvalidTransition(_("Nothing changes."))
    previous = order.proxy_station
    order.proxy_station = station
    order.save(update_fields=["proxy_station", "updated_at"])
    what = (
        _("Handled on the user's behalf by %(station)s")
        if station is not None
        else _("Proxy handling ended")
    )
    params = {"station": station.name} if station is not None else {}
    shown = str(what) % params
    # The timeline keeps the step in the site's language, like other records.
    with translation.override(settings.LANGUAGE_CODE):
        kept = str(what) % params
    record_event(
        order=order,
        actor=actor,
        party=Party.STAFF,
        note=f"{kept}：{text}" if text else kept,
        kind=EventKind.PROXY,
    )
    audit(
        actor,
        "orders.proxy_set",
        order,
        station=station.pk if station else None,
        previous=previous.pk if previous else None,
        note=text,
    )
    tell_sides(
        order=order,
        actor=actor,
        party=Party.STAFF,
        kind="orders.proxy",
        title=str(_("Order %(number)s: %(what)s") % {"number": order.number, "what": shown}),
        body=text,
    )
    if station is not None:
        # The station's own people learn of the new task.
        notify(
            recipients=[p for p in station_people(order) if p.pk != actor.pk],
            kind="orders.proxy",
            title=str(_("Order %(number)s: %(what)s") % {"number": order.number, "what": shown}),
            body=text,
            url=order.staff_url,
        )
    return order
