"""The moves of the order state machine (onestop.orders.rules has the table).

Each service locks the order, finds the actor's side, checks the table
(InvalidTransition and nothing written when the move is not allowed from
the current state), then writes the status, an OrderEvent, an audit row and
the notices to the other side, in one transaction.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.core import workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.institutions.models import InstitutionStatus
from onestop.orders import rules
from onestop.orders.models import AttachmentKind, Order, OrderStatus
from onestop.orders.services.common import (
    NotOnThisOrder,
    audit,
    clean_note,
    lock,
    parties,
    record_event,
    stop_acceptance_clock,
    tell_sides,
)

MAX_PRICE = Decimal("9999999999.99")
# Moves after which the user is told by SMS as well as in the inbox.
_SMS_TO_USER = frozenset({"accept", "decline", "wait", "deliver", "cancel"})


@dataclasses.dataclass(frozen=True)
class Move:
    order: Order
    rule: rules.Rule
    party: str
    from_status: str
    note: str


def _begin(
    *, actor: User, order: Order, action: str, note: str, acting_as: Iterable[str] | None
) -> Move:
    """Lock, find the actor's side and the row of the table, check the note."""
    order = lock(order)
    held = parties(actor, order, acting_as)
    status = order.status
    if not rules.can_transition(status, action):
        raise InvalidTransition(
            _("An order that is “%(status)s” cannot be moved this way (%(action)s)."),
            status=str(OrderStatus(status).label),
            action=str(rules.ACTION_LABELS[action]),
        )
    rule = rules.rule_for(status, action, held)
    if rule is None:
        if rules.may_ever(action, held):
            raise InvalidTransition(
                _("You cannot do this while the order is “%(status)s”."),
                status=str(OrderStatus(status).label),
            )
        raise NotOnThisOrder()
    cleaned = clean_note(note, required=rule.needs_note, label=rules.NOTE_LABELS[action])
    return Move(order, rule, rules.party_for(rule, held), status, cleaned)


def _finish(actor: User, move: Move, *, fields: Iterable[str] = (), **changes: object) -> Order:
    order = move.order
    order.status = move.rule.target
    order.save(update_fields=["status", "updated_at", *fields])
    record_event(
        order=order,
        actor=actor,
        party=move.party,
        from_status=move.from_status,
        to_status=order.status,
        note=move.note,
    )
    audit(
        actor,
        f"orders.{move.rule.action}",
        order,
        **{"from": move.from_status, "to": order.status, "as": move.party, "note": move.note},
        **changes,
    )
    tell_sides(
        order=order,
        actor=actor,
        party=move.party,
        kind=f"orders.{move.rule.action}",
        title=str(
            _("Order %(number)s: %(status)s")
            % {"number": order.number, "status": OrderStatus(order.status).label}
        ),
        body=move.note,
        sms_to_user=move.rule.action in _SMS_TO_USER,
        sms_to_institution=move.rule.action in ("cancel", "rework"),
    )
    return order


@transaction.atomic
def order_accept(
    *,
    actor: User,
    order: Order,
    price: Decimal | None = None,
    note: str = "",
    acting_as: Iterable[str] | None = None,
) -> Order:
    """The institution accepts (WX 7.2.2.2.1): the acceptance clock stops; the
    expected completion is the offering's turnaround in working days from
    now (HM 4.3.4.1); the agreed price is optional. A suspended institution
    takes no new orders. Raises CalendarNotCovered (nothing written) when the
    calendar does not reach the completion date."""
    move = _begin(actor=actor, order=order, action="accept", note=note, acting_as=acting_as)
    order = move.order
    if order.institution.status != InstitutionStatus.ACTIVE:
        raise InvalidTransition(_("A suspended institution cannot accept new orders."))
    if price is not None and not Decimal(0) <= price <= MAX_PRICE:
        raise InvalidInput(_("Enter a price between 0 and 9,999,999,999.99 yuan."), field="price")
    now = timezone.now()
    calendar = workdays.load_calendar()
    end = calendar.add_workdays(now, order.offering.turnaround_working_days)
    # The deadline is 24:00 of the last working day, stored as that day.
    order.expected_completion = workdays.local_date(end) - workdays.ONE_DAY
    order.price = price
    stop_acceptance_clock(order)
    return _finish(
        actor,
        move,
        fields=["expected_completion", "price"],
        expected_completion=order.expected_completion.isoformat(),
        price=str(price) if price is not None else None,
    )


@transaction.atomic
def order_decline(
    *, actor: User, order: Order, reason: str, acting_as: Iterable[str] | None = None
) -> Order:
    """The institution declines, with the reason the user reads; the clock stops."""
    move = _begin(actor=actor, order=order, action="decline", note=reason, acting_as=acting_as)
    stop_acceptance_clock(move.order)
    return _finish(actor, move)


@transaction.atomic
def order_cancel(
    *, actor: User, order: Order, reason: str = "", acting_as: Iterable[str] | None = None
) -> Order:
    """Cancel before the work starts: the user (or a station on their behalf)
    freely; the institution an accepted order with a reason; the service
    center with a reason (rules)."""
    move = _begin(actor=actor, order=order, action="cancel", note=reason, acting_as=acting_as)
    stop_acceptance_clock(move.order)
    return _finish(actor, move)


@transaction.atomic
def order_start(
    *, actor: User, order: Order, note: str = "", acting_as: Iterable[str] | None = None
) -> Order:
    move = _begin(actor=actor, order=order, action="start", note=note, acting_as=acting_as)
    return _finish(actor, move)


@transaction.atomic
def order_wait_for_user(
    *, actor: User, order: Order, note: str, acting_as: Iterable[str] | None = None
) -> Order:
    """The institution needs something from the user (stated in the note).
    No clock is paused: the expected completion stays what was promised."""
    move = _begin(actor=actor, order=order, action="wait", note=note, acting_as=acting_as)
    return _finish(actor, move)


@transaction.atomic
def order_resume(
    *, actor: User, order: Order, note: str = "", acting_as: Iterable[str] | None = None
) -> Order:
    move = _begin(actor=actor, order=order, action="resume", note=note, acting_as=acting_as)
    return _finish(actor, move)


@transaction.atomic
def order_deliver(
    *, actor: User, order: Order, note: str = "", acting_as: Iterable[str] | None = None
) -> Order:
    """The institution delivers the result; a report must be attached first."""
    move = _begin(actor=actor, order=order, action="deliver", note=note, acting_as=acting_as)
    if not move.order.attachments.filter(kind=AttachmentKind.REPORT).exists():
        raise InvalidInput(_("Attach the report before delivering."), field="report")
    return _finish(actor, move)


@transaction.atomic
def order_complete(
    *, actor: User, order: Order, note: str = "", acting_as: Iterable[str] | None = None
) -> Order:
    """The user confirms the result; a follow-up visit is scheduled for
    station or center staff (HM 4.3.4.2, WX 7.2.2.2.4)."""
    from onestop.fieldwork.services import follow_up_schedule

    move = _begin(actor=actor, order=order, action="complete", note=note, acting_as=acting_as)
    move.order.completed_at = timezone.now()
    completed = _finish(actor, move, fields=["completed_at"])
    follow_up_schedule(order=completed)
    # WX 7.3, HM 5.2: the user is invited to evaluate the service.
    from onestop.evaluations.services import evaluation_invite

    evaluation_invite(order=completed)
    return completed


@transaction.atomic
def order_rework(
    *, actor: User, order: Order, reason: str, acting_as: Iterable[str] | None = None
) -> Order:
    """The user sends a delivered order back to service, saying what to redo."""
    move = _begin(actor=actor, order=order, action="rework", note=reason, acting_as=acting_as)
    return _finish(actor, move)


def order_act(
    *,
    actor: User,
    order: Order,
    action: str,
    note: str = "",
    price: Decimal | None = None,
    acting_as: Iterable[str] | None = None,
) -> Order:
    """One entry for pages and the API: the move named ``action``."""
    if action == "accept":
        return order_accept(actor=actor, order=order, price=price, note=note, acting_as=acting_as)
    moves = {
        "decline": lambda: order_decline(
            actor=actor, order=order, reason=note, acting_as=acting_as
        ),
        "cancel": lambda: order_cancel(actor=actor, order=order, reason=note, acting_as=acting_as),
        "start": lambda: order_start(actor=actor, order=order, note=note, acting_as=acting_as),
        "wait": lambda: order_wait_for_user(
            actor=actor, order=order, note=note, acting_as=acting_as
        ),
        "resume": lambda: order_resume(actor=actor, order=order, note=note, acting_as=acting_as),
        "deliver": lambda: order_deliver(actor=actor, order=order, note=note, acting_as=acting_as),
        "complete": lambda: order_complete(
            actor=actor, order=order, note=note, acting_as=acting_as
        ),
        "rework": lambda: order_rework(actor=actor, order=order, reason=note, acting_as=acting_as),
    }
    move = moves.get(action)
    if move is None:
        raise InvalidInput(_("Unknown action."), field="action")
    return move()
