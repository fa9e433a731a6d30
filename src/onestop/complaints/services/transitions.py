"""The moves of the complaint state machine (onestop.complaints.rules has the table).

Each service locks the complaint, finds the actor's side, checks the table
and the move's own conditions (InvalidTransition, nothing written, when the
move is not allowed now), then writes the status and the step's fields, a
ComplaintEvent, an audit row and the notices, in one transaction; the
investigation clock stops when the complaint is forwarded or concluded
(WX 7.4.3) and starts again when it is reopened.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.complaints import rules, selectors
from onestop.complaints.models import REOPEN_DAYS, Complaint, ComplaintStatus, Satisfaction
from onestop.complaints.services.common import (
    audit,
    clean_text,
    lock,
    record_event,
    start_clock,
    stop_clock,
    tell_center,
    tell_complainant,
    tell_institution,
)
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError

S = ComplaintStatus
# The steps the complainant hears about from others, to track their complaint
# (GB/T 19012); the institution's response and the center's conclusion reach
# them in words as the feedback.
TOLD_TO_COMPLAINANT = frozenset(
    {S.INVESTIGATING, S.NOT_ACCEPTED, S.FORWARDED, S.RESPONDED, S.CONCLUDED, S.FED_BACK, S.CLOSED}
)


class NotOnThisComplaint(PermissionDeniedError):
    code = "not_on_this_complaint"
    default_message = _("You cannot do this on this complaint.")


@dataclasses.dataclass(frozen=True)
class Move:
    complaint: Complaint
    rule: rules.Rule
    party: str
    from_status: str
    note: str


def _begin(
    *,
    actor: User,
    complaint: Complaint,
    action: str,
    note: str | None,
    acting_as: Iterable[str] | None,
) -> Move:
    """Lock, find the actor's side and the row of the table, check the note."""
    complaint = lock(complaint)
    held = selectors.parties_of(actor, complaint, acting_as)
    if not held:
        raise selectors.ComplaintNotFound()
    status = complaint.status
    if not rules.can_transition(status, action):
        raise InvalidTransition(
            _("A complaint that is “%(status)s” cannot be moved this way (%(action)s)."),
            status=str(S(status).label),
            action=str(rules.ACTION_LABELS[action]),
        )
    rule = rules.rule_for(status, action, held)
    if rule is None:
        if rules.may_ever(action, held):
            raise InvalidTransition(
                _("You cannot do this while the complaint is “%(status)s”."),
                status=str(S(status).label),
            )
        raise NotOnThisComplaint()
    party = rules.party_for(rule, held)
    if action == "forward" and not rules.can_forward(complaint):
        raise InvalidTransition(
            _("Only a complaint about an institution can be forwarded; conclude it instead.")
        )
    if action == "reopen" and not rules.can_reopen(complaint, now=timezone.now()):
        raise InvalidTransition(
            _("A complaint can be reopened only within %(days)s days of closing."),
            days=REOPEN_DAYS,
        )
    cleaned = clean_text(
        note,
        field="note",
        label=rules.note_label(rule, party),
        limit=rules.NOTE_MAX,
        required=rule.needs_note,
    )
    return Move(complaint, rule, party, status, cleaned)


def _finish(actor: User, move: Move, *, fields: Iterable[str] = (), **changes: object) -> Complaint:
    complaint = move.complaint
    complaint.status = move.rule.target
    update = ["status", "updated_at", *fields]
    if move.party == rules.Party.CENTER and complaint.handler_id is None:
        complaint.handler = actor
        update.append("handler")
    complaint.save(update_fields=update)
    event = record_event(
        complaint=complaint,
        actor=actor,
        from_status=move.from_status,
        to_status=complaint.status,
        note=move.note,
    )
    audit(
        actor,
        f"complaints.{move.rule.action}",
        complaint,
        **{"from": move.from_status, "to": complaint.status, "as": move.party, "note": move.note},
        **changes,
    )
    if move.party != rules.Party.COMPLAINANT and complaint.status in TOLD_TO_COMPLAINANT:
        shown = move.note if complaint.status in selectors.NOTES_FOR_COMPLAINANT else ""
        tell_complainant(complaint=complaint, actor=actor, event=event, note=shown)
    return complaint


def _title(complaint: Complaint) -> str:
    return str(
        _("Complaint %(number)s: %(status)s")
        % {"number": complaint.number, "status": S(complaint.status).label}
    )


# --- the service center ----------------------------------------------------------------------


@transaction.atomic
def complaint_acknowledge(
    *, actor: User, complaint: Complaint, note: str = "", acting_as: Iterable[str] | None = None
) -> Complaint:
    """Acknowledgement and initial assessment (GB/T 19012): the center accepts
    the complaint; the complainant is told, with the number."""
    move = _begin(
        actor=actor, complaint=complaint, action="acknowledge", note=note, acting_as=acting_as
    )
    move.complaint.acknowledged_at = timezone.now()
    return _finish(actor, move, fields=["acknowledged_at"])


@transaction.atomic
def complaint_not_accept(
    *, actor: User, complaint: Complaint, reason: str, acting_as: Iterable[str] | None = None
) -> Complaint:
    """Not accepted (outside the platform's remit, …), with the reason the
    complainant reads; the investigation clock stops."""
    move = _begin(
        actor=actor, complaint=complaint, action="not_accept", note=reason, acting_as=acting_as
    )
    stop_clock(move.complaint)
    return _finish(actor, move)


@transaction.atomic
def complaint_forward(
    *, actor: User, complaint: Complaint, note: str = "", acting_as: Iterable[str] | None = None
) -> Complaint:
    """Investigated and forwarded to the institution (WX 7.4.3): the clock
    stops; the institution gets the complaint — without who complains when
    it is anonymous to the institution (the institution's pages are built
    from selectors.institution_view)."""
    move = _begin(
        actor=actor, complaint=complaint, action="forward", note=note, acting_as=acting_as
    )
    complaint = move.complaint
    complaint.forwarded_at = timezone.now()
    stop_clock(complaint)
    complaint = _finish(actor, move, fields=["forwarded_at"])
    tell_institution(
        complaint=complaint,
        actor=actor,
        title=str(
            _("Complaint %(number)s has been forwarded to your institution for a response")
            % {"number": complaint.number}
        ),
        sms=True,
    )
    return complaint


@transaction.atomic
def complaint_conclude(
    *,
    actor: User,
    complaint: Complaint,
    conclusion: str,
    upheld: bool | None,
    acting_as: Iterable[str] | None = None,
) -> Complaint:
    """The center's conclusion, upheld or not: after the institution's
    response, or directly (a station or the platform complained about, or a
    case the center settles itself; then the clock stops here)."""
    if upheld is None:
        raise InvalidInput(_("Say whether the complaint is upheld."), field="upheld")
    move = _begin(
        actor=actor, complaint=complaint, action="conclude", note=conclusion, acting_as=acting_as
    )
    complaint = move.complaint
    complaint.conclusion = move.note
    complaint.upheld = upheld
    complaint.concluded_at = timezone.now()
    stop_clock(complaint)
    complaint = _finish(actor, move, fields=["conclusion", "upheld", "concluded_at"], upheld=upheld)
    if complaint.forwarded_at is not None:
        tell_institution(complaint=complaint, actor=actor, title=_title(complaint))
    return complaint


@transaction.atomic
def complaint_feed_back(
    *, actor: User, complaint: Complaint, feedback: str, acting_as: Iterable[str] | None = None
) -> Complaint:
    """Communicating the decision (WX 7.4.3 "结果反馈给投诉人"): the outcome
    goes to the complainant's inbox and by SMS."""
    move = _begin(
        actor=actor, complaint=complaint, action="feed_back", note=feedback, acting_as=acting_as
    )
    complaint = move.complaint
    complaint.feedback = move.note
    complaint.fed_back_at = timezone.now()
    return _finish(actor, move, fields=["feedback", "fed_back_at"])


# --- the institution -------------------------------------------------------------------------


@transaction.atomic
def complaint_respond(
    *, actor: User, complaint: Complaint, response: str, acting_as: Iterable[str] | None = None
) -> Complaint:
    """The institution's response to what was forwarded to it."""
    move = _begin(
        actor=actor, complaint=complaint, action="respond", note=response, acting_as=acting_as
    )
    complaint = move.complaint
    complaint.institution_response = move.note
    complaint.responded_at = timezone.now()
    complaint = _finish(actor, move, fields=["institution_response", "responded_at"])
    tell_center(complaint=complaint, actor=actor, title=_title(complaint))
    return complaint


# --- the complainant (or the center for an offline complainant) ----------------------------------


@transaction.atomic
def complaint_close(
    *,
    actor: User,
    complaint: Complaint,
    satisfaction: str,
    note: str = "",
    acting_as: Iterable[str] | None = None,
) -> Complaint:
    """Closing (GB/T 19012): the complainant says how satisfied they are. For
    a complaint received offline the center may close it after calling the
    complainant back, recording what they said."""
    if satisfaction not in Satisfaction.values:
        raise InvalidInput(_("Choose how satisfied the complainant is."), field="satisfaction")
    move = _begin(actor=actor, complaint=complaint, action="close", note=note, acting_as=acting_as)
    complaint = move.complaint
    complaint.satisfaction = satisfaction
    complaint.closed_at = timezone.now()
    complaint = _finish(
        actor, move, fields=["satisfaction", "closed_at"], satisfaction=satisfaction
    )
    if move.party == rules.Party.COMPLAINANT:
        tell_center(
            complaint=complaint,
            actor=actor,
            title=str(
                _("Complaint %(number)s closed by the complainant: %(satisfaction)s")
                % {"number": complaint.number, "satisfaction": Satisfaction(satisfaction).label}
            ),
        )
    return complaint


@transaction.atomic
def complaint_reopen(
    *, actor: User, complaint: Complaint, reason: str, acting_as: Iterable[str] | None = None
) -> Complaint:
    """Within 30 days of closing, with a reason: the investigation starts
    again on a new 7-working-day clock; the last round's conclusion,
    feedback and satisfaction stay in the timeline."""
    move = _begin(
        actor=actor, complaint=complaint, action="reopen", note=reason, acting_as=acting_as
    )
    complaint = move.complaint
    complaint.reopened_count += 1
    complaint.conclusion, complaint.upheld, complaint.concluded_at = "", None, None
    complaint.feedback, complaint.fed_back_at = "", None
    complaint.satisfaction, complaint.closed_at = "", None
    start_clock(complaint)
    complaint = _finish(
        actor,
        move,
        fields=[
            "reopened_count",
            "conclusion",
            "upheld",
            "concluded_at",
            "feedback",
            "fed_back_at",
            "satisfaction",
            "closed_at",
        ],
        reopened_count=complaint.reopened_count,
    )
    tell_center(complaint=complaint, actor=actor, title=_title(complaint), body=move.note)
    return complaint


@transaction.atomic
def complaint_withdraw(
    *, actor: User, complaint: Complaint, reason: str = "", acting_as: Iterable[str] | None = None
) -> Complaint:
    """The complainant withdraws before it is forwarded or concluded; the clock stops."""
    move = _begin(
        actor=actor, complaint=complaint, action="withdraw", note=reason, acting_as=acting_as
    )
    stop_clock(move.complaint)
    complaint = _finish(actor, move)
    tell_center(complaint=complaint, actor=actor, title=_title(complaint), body=move.note)
    return complaint


def complaint_act(
    *,
    actor: User,
    complaint: Complaint,
    action: str,
    note: str = "",
    satisfaction: str = "",
    upheld: bool | None = None,
    acting_as: Iterable[str] | None = None,
) -> Complaint:
    """One entry for the pages and the API: the service of ``action``."""
    if action == "acknowledge":
        return complaint_acknowledge(
            actor=actor, complaint=complaint, note=note, acting_as=acting_as
        )
    if action == "not_accept":
        return complaint_not_accept(
            actor=actor, complaint=complaint, reason=note, acting_as=acting_as
        )
    if action == "forward":
        return complaint_forward(actor=actor, complaint=complaint, note=note, acting_as=acting_as)
    if action == "respond":
        return complaint_respond(
            actor=actor, complaint=complaint, response=note, acting_as=acting_as
        )
    if action == "conclude":
        return complaint_conclude(
            actor=actor, complaint=complaint, conclusion=note, upheld=upheld, acting_as=acting_as
        )
    if action == "feed_back":
        return complaint_feed_back(
            actor=actor, complaint=complaint, feedback=note, acting_as=acting_as
        )
    if action == "close":
        return complaint_close(
            actor=actor,
            complaint=complaint,
            satisfaction=satisfaction,
            note=note,
            acting_as=acting_as,
        )
    if action == "reopen":
        return complaint_reopen(actor=actor, complaint=complaint, reason=note, acting_as=acting_as)
    if action == "withdraw":
        return complaint_withdraw(
            actor=actor, complaint=complaint, reason=note, acting_as=acting_as
        )
    raise InvalidInput(_("Unknown action."))
