"""What the order services share: locking, sides, notes, events, notices."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, PermissionDeniedError
from onestop.core.models import SlaClock
from onestop.core.services import sla_clock_stop
from onestop.institutions.selectors import institution_people
from onestop.notifications.services import notify
from onestop.orders import rules, selectors
from onestop.orders.models import EventKind, Order, OrderEvent, Party


class NotOnThisOrder(PermissionDeniedError):
    code = "not_on_this_order"
    default_message = _("You cannot do this on this order.")


def lock(order: Order) -> Order:
    """The order, locked until the transaction ends: two moves at once queue
    up and the second sees the first's result. Only the order row is locked
    (its optional joins cannot be, on PostgreSQL)."""
    return (
        Order.objects.select_for_update(no_key=True, of=("self",))
        .select_related("institution", "offering", "region", "user", "enterprise", "proxy_station")
        .get(pk=order.pk)
    )


def parties(actor: User, order: Order, acting_as: Iterable[str] | None) -> frozenset[str]:
    """The actor's sides on the order, narrowed to ``acting_as`` when the
    caller (a page of one side, the user API) says on whose behalf it acts.
    Nobody at all → the order is "not found" for them."""
    held = selectors.parties_of(actor, order, acting_as)
    if not held:
        raise selectors.OrderNotFound()
    return held


def clean_note(note: str | None, *, required: bool, label: str | Promise) -> str:
    cleaned = (note or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Enter the %(label)s."), field="note", label=str(label))
    if len(cleaned) > rules.NOTE_MAX:
        raise InvalidInput(
            _("The note may be at most %(n)s characters."), field="note", n=rules.NOTE_MAX
        )
    return cleaned


def record_event(
    *,
    order: Order,
    actor: User | None,
    party: str,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    kind: str = EventKind.TRANSITION,
) -> OrderEvent:
    return OrderEvent.objects.create(
        order=order,
        actor=actor,
        party=party,
        from_status=from_status,
        to_status=to_status,
        note=note,
        kind=kind,
    )


def audit(actor: User | None, action: str, order: Order, **changes: object) -> None:
    audit_record(actor=actor, action=action, obj=order, region=order.region, changes=changes)


def stop_acceptance_clock(order: Order) -> None:
    clock: SlaClock | None = selectors.acceptance_clock(order)
    if clock is not None:
        sla_clock_stop(clock=clock)


# --- who hears about it -------------------------------------------------------------------


def _without(people: Iterable[User], actor: User | None) -> list[User]:
    seen: dict[int, User] = {}
    for person in people:
        if actor is None or person.pk != actor.pk:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def station_people(order: Order) -> list[User]:
    if order.proxy_station is None:
        return []
    return list(authz.holders(Role.STATION_STAFF, order.proxy_station))


def center_people(order: Order) -> list[User]:
    return list(authz.holders_over(Role.CENTER_STAFF, order.region))


def tell_sides(
    *,
    order: Order,
    actor: User | None,
    party: str,
    kind: str,
    title: str,
    body: str = "",
    sms_to_user: bool = False,
    sms_to_institution: bool = False,
) -> None:
    """Notify the sides of the order other than the actor's own, each with
    the link to its own page of the order."""
    if party != Party.USER:
        notify(
            recipients=_without([order.user], actor),
            kind=kind,
            title=title,
            body=body,
            url=order.get_absolute_url(),
            channels_=["sms"] if sms_to_user else [],
        )
    if party != Party.INSTITUTION:
        notify(
            recipients=_without(institution_people(order.institution), actor),
            kind=kind,
            title=title,
            body=body,
            url=order.institution_url,
            channels_=["sms"] if sms_to_institution else [],
        )
    if party not in (Party.PROXY, Party.CENTER, Party.STAFF):
        notify(
            recipients=_without(station_people(order), actor),
            kind=kind,
            title=title,
            body=body,
            url=order.staff_url,
        )
