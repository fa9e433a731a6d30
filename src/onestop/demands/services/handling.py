"""Staff taking a demand on and moving it along (WX 7.2.2.2.1, HM 4.3.3.2):
claim, assign (one or many), respond, escalate, close; and the requester
withdrawing it."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.demands import rules, selectors
from onestop.demands.models import RESPONSE_CLOCK, Demand, DemandStatus
from onestop.demands.services.common import (
    FieldError,
    check_station,
    clean_text,
    event,
    lock,
    now,
    require_handler,
    stop_all_clocks,
    stop_clock,
    tell_requester,
    tell_staff,
)
from onestop.stations.models import Station

# Handing demands out is the service center's dispatch (HM 4.1.1.1: the
# center directs its stations); the permission that only the center holds
# among demand handlers is the one for escalations.
ASSIGN_PERM = authz.Perm.ESCALATION_HANDLE
MAX_BULK = 100
# Notes and reasons staff or users attach to an assignment or a withdrawal.
NOTE_MAX = 500


class AlreadyClaimed(InvalidTransition):
    code = "already_claimed"


@transaction.atomic
def demand_claim(*, actor: User, demand: Demand) -> Demand:
    """A staff member takes responsibility for a demand. Of two people
    claiming at once exactly one wins: the row is locked and read again, so
    the second sees the first one's name and is refused."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "claim")
    if locked.assigned_to_id == actor.pk:
        raise AlreadyClaimed(_("You are already responsible for this demand."))
    if locked.assigned_to_id is not None:
        raise AlreadyClaimed(
            _("%(name)s has already taken this demand on; ask them or the service center."),
            name=str(locked.assigned_to),
        )
    locked.assigned_to = actor
    if locked.station_id is None:
        locked.station = selectors.station_of(actor, locked.region)
    locked.save(update_fields=["assigned_to", "station", "updated_at"])
    event(locked, actor=actor, kind="claim", note=str(actor))
    audit_record(
        actor=actor,
        action="demands.claim",
        obj=locked,
        changes={"number": locked.number, "assigned_to": actor.pk},
    )
    tell_requester(
        locked,
        kind="demands.claimed",
        title=_("Demand %(number)s: staff are handling it") % {"number": locked.number},
        body=_("%(name)s is responsible for your demand.") % {"name": str(actor)},
    )
    return locked


@transaction.atomic
def demand_assign(
    *,
    actor: User,
    demands: Sequence[Demand],
    staff: User | None = None,
    station: Station | None = None,
    note: str = "",
) -> list[Demand]:
    """The service center hands one or many demands to a station or a staff
    member. All or nothing: one demand that cannot be assigned refuses the lot,
    naming it."""
    if staff is None and station is None:
        raise FieldError("staff", _("Choose a station or a staff member."))
    if not demands:
        raise InvalidInput(_("Choose at least one demand."))
    if len(demands) > MAX_BULK:
        raise InvalidInput(_("Assign at most %(n)s demands at once."), n=MAX_BULK)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            _("The note may be at most %(max)s characters."), field="note", max=NOTE_MAX
        )
    done: list[Demand] = []
    for demand in sorted(demands, key=lambda d: d.pk):  # one lock order: no deadlocks
        authz.require(actor, ASSIGN_PERM, demand.region)
        locked = lock(demand)
        if not rules.can(locked, "assign"):
            raise InvalidTransition(
                _("Demand %(number)s is already finished and cannot be assigned."),
                number=locked.number,
            )
        if staff is not None and not (
            staff.is_active and authz.has_perm(staff, authz.Perm.DEMAND_HANDLE, locked.region)
        ):
            raise FieldError(
                "staff",
                _("%(name)s cannot handle demands in %(region)s (demand %(number)s)."),
                name=str(staff),
                region=locked.region.name,
                number=locked.number,
            )
        target_station = station
        if target_station is not None:
            try:
                check_station(target_station, locked.region)
            except FieldError as exc:
                raise FieldError(
                    "station",
                    _("%(error)s (demand %(number)s)"),
                    error=exc.message,
                    number=locked.number,
                ) from exc
        elif staff is not None:
            target_station = selectors.station_of(staff, locked.region) or locked.station
        before = {"assigned_to": locked.assigned_to_id, "station": locked.station_id}
        locked.assigned_to = staff
        locked.station = target_station
        if locked.escalated_at is not None and not (
            staff is not None and authz.has_perm(staff, authz.Perm.ESCALATION_HANDLE, locked.region)
        ):
            # The center hands an escalated demand back to a station: it leaves
            # the escalation queue (the history keeps the escalation).
            locked.escalated_at = None
        locked.save(update_fields=["assigned_to", "station", "escalated_at", "updated_at"])
        to_whom = str(staff) if staff is not None else str(target_station)
        event(locked, actor=actor, kind="assign", note=f"{to_whom} {note}".strip())
        audit_record(
            actor=actor,
            action="demands.assign",
            obj=locked,
            changes={
                "number": locked.number,
                "assigned_to": [before["assigned_to"], staff.pk if staff else None],
                "station": [before["station"], target_station.pk if target_station else None],
            },
        )
        people = [staff] if staff is not None else None
        if people is None and target_station is not None:
            people = list(authz.holders(Role.STATION_STAFF, target_station))
        tell_staff(
            locked,
            kind="demands.assigned",
            title=_("Demand %(number)s assigned to you: %(title)s")
            % {"number": locked.number, "title": locked.title},
            body=note,
            people=people,
            skip=actor,
        )
        done.append(locked)
    return done


@transaction.atomic
def demand_respond(*, actor: User, demand: Demand, note: str) -> Demand:
    """Contact made and the need clarified (WX 7.2.2.2.1: within 1 working
    day). Stops the response clock; whoever responds takes the demand on if
    nobody had."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "respond")
    note = clean_text(
        note, field="note", label=_("What was clarified with the user"), low=2, high=2000
    )
    at = now()
    locked.status = DemandStatus.RESPONDED
    locked.response_note = note
    locked.responded_at = at
    if locked.assigned_to_id is None:
        locked.assigned_to = actor
    locked.save(
        update_fields=["status", "response_note", "responded_at", "assigned_to", "updated_at"]
    )
    clock = stop_clock(locked, RESPONSE_CLOCK, at)
    event(
        locked,
        actor=actor,
        kind="respond",
        from_status=DemandStatus.PUBLISHED,
        to_status=DemandStatus.RESPONDED,
        note=note,
    )
    audit_record(
        actor=actor,
        action="demands.respond",
        obj=locked,
        changes={
            "number": locked.number,
            "status": [DemandStatus.PUBLISHED, DemandStatus.RESPONDED],
            "clock": clock.outcome if clock is not None else "",
        },
    )
    tell_requester(
        locked,
        kind="demands.responded",
        title=_("Demand %(number)s: we have been in touch") % {"number": locked.number},
        body=note,
    )
    return locked


@transaction.atomic
def demand_escalate(*, actor: User, demand: Demand, reason: str) -> Demand:
    """A station cannot solve it: the demand goes to the service center's
    queue with its whole history (HM 4.3.3.2). Nobody at the center has it
    yet, so it is unassigned until someone there takes it on."""
    authz.require(actor, authz.Perm.DEMAND_HANDLE, demand.region)
    locked = lock(demand)
    rules.require(locked, "escalate")
    if locked.escalated_at is not None:
        raise InvalidTransition(_("This demand is already with the service center."))
    reason = clean_text(
        reason, field="reason", label=_("Why it cannot be solved here"), low=2, high=2000
    )
    locked.escalated_at = now()
    locked.escalation_reason = reason
    previous = locked.assigned_to_id
    locked.assigned_to = None
    locked.save(update_fields=["escalated_at", "escalation_reason", "assigned_to", "updated_at"])
    event(locked, actor=actor, kind="escalate", note=reason)
    audit_record(
        actor=actor,
        action="demands.escalate",
        obj=locked,
        changes={"number": locked.number, "assigned_to": [previous, None]},
    )
    tell_staff(
        locked,
        kind="demands.escalated",
        title=_("Escalated to the service center: %(number)s %(title)s")
        % {"number": locked.number, "title": locked.title},
        body=reason,
        people=authz.holders_over(Role.CENTER_STAFF, locked.region),
        skip=actor,
    )
    return locked


@transaction.atomic
def demand_cancel(*, user: User, demand: Demand, reason: str = "") -> Demand:
    """The requester withdraws the demand; not once it is docked with an
    institution (from then on, the order and the institution follow it)."""
    locked = lock(demand)
    if locked.requester_id != user.pk:
        raise authz.NotAllowed()
    rules.require(locked, "cancel")
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise InvalidInput(
            _("The reason may be at most %(max)s characters."), field="reason", max=NOTE_MAX
        )
    before = locked.status
    locked.status = DemandStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    stop_all_clocks(locked, now())
    event(
        locked,
        actor=user,
        kind="cancel",
        from_status=before,
        to_status=DemandStatus.CANCELLED,
        note=reason,
    )
    audit_record(
        actor=user,
        action="demands.cancel",
        obj=locked,
        changes={"number": locked.number, "status": [before, DemandStatus.CANCELLED]},
    )
    tell_staff(
        locked,
        kind="demands.cancelled",
        title=_("Demand %(number)s withdrawn by the user") % {"number": locked.number},
        body=reason,
    )
    return locked


@transaction.atomic
def demand_close(*, actor: User, demand: Demand, note: str) -> Demand:
    """Staff close a demand: served, or nothing more can be done (the note says which)."""
    require_handler(actor, demand)
    locked = lock(demand)
    require_handler(actor, locked)
    rules.require(locked, "close")
    note = clean_text(note, field="note", label=_("Closing note"), low=2, high=2000)
    before = locked.status
    locked.status = DemandStatus.CLOSED
    locked.save(update_fields=["status", "updated_at"])
    stop_all_clocks(locked, now())
    event(
        locked,
        actor=actor,
        kind="close",
        from_status=before,
        to_status=DemandStatus.CLOSED,
        note=note,
    )
    audit_record(
        actor=actor,
        action="demands.close",
        obj=locked,
        changes={"number": locked.number, "status": [before, DemandStatus.CLOSED]},
    )
    tell_requester(
        locked,
        kind="demands.closed",
        title=_("Demand %(number)s closed") % {"number": locked.number},
        body=note,
    )
    if before != DemandStatus.PUBLISHED and not locked.orders.exists():
        # Answered by the service center without an order: a consultation,
        # which the user is invited to evaluate (WX 7.3, HM A part one).
        from onestop.evaluations.services import consultation_invite

        consultation_invite(demand=locked)
    return locked
