"""What the corrective-action services share: text checks, the row lock,
events, audit rows and notices to the target."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.institutions.selectors import institution_people
from onestop.notifications.services import notify
from onestop.supervision import rules
from onestop.supervision.models import TEXT_MAX, ActionEvent, CorrectiveAction, TargetKind


def clean_text(value: str | None, *, field: str, label: str, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InvalidInput(_("Enter the %(label)s."), field=field, label=label)
    if len(cleaned) > TEXT_MAX:
        raise InvalidInput(
            _("The %(label)s may be at most %(n)s characters."),
            field=field,
            label=label,
            n=TEXT_MAX,
        )
    return cleaned


def lock(action: CorrectiveAction) -> CorrectiveAction:
    return (
        CorrectiveAction.objects.select_for_update(no_key=True, of=("self",))
        .select_related("region", "institution", "station", "staff_member", "issued_by")
        .get(pk=action.pk)
    )


def record(
    action: CorrectiveAction, *, actor: User, from_status: str, note: str = ""
) -> ActionEvent:
    return ActionEvent.objects.create(
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=action.status,
        note=note,
    )


def target_people(action: CorrectiveAction) -> list[User]:
    """Who answers for the target: the institution's people, the station's
    staff, or the staff member."""
    if action.target_kind == TargetKind.INSTITUTION and action.institution is not None:
        return list(institution_people(action.institution))
    if action.target_kind == TargetKind.STATION and action.station is not None:
        return list(authz.holders(Role.STATION_STAFF, action.station))
    return [action.staff_member] if action.staff_member is not None else []


def tell_target(action: CorrectiveAction, *, kind: str, title: str, body: str = "") -> None:
    people = target_people(action)
    if people:
        notify(
            recipients=people,
            kind=kind,
            title=title,
            body=body,
            url=action.target_url,
            channels_=("sms",),
        )


def audit(actor: User, name: str, action: CorrectiveAction, **changes: object) -> None:
    audit_record(
        actor=actor,
        action=f"supervision.{name}",
        obj=action,
        region=action.region,
        changes={"number": action.number, "status": action.status, **changes},
    )


def check_move(action: CorrectiveAction, name: str) -> None:
    if not rules.allowed(action, name):
        raise InvalidTransition(
            _("This corrective action is %(state)s; this step is not possible now."),
            state=action.get_status_display(),
        )
