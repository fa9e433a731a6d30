"""Issuing a corrective action (HM 5.1): whom it is addressed to (exactly one
institution, station or staff member), where the problem was found, the
problem, the requirement and the due date (a date, or N working days by
onestop.core.workdays)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.complaints.models import Complaint
from onestop.core import workdays
from onestop.core.errors import InvalidInput, NotFound
from onestop.core.sequences import next_value
from onestop.evaluations.models import RectificationCase
from onestop.institutions.models import Institution
from onestop.regions.models import Region
from onestop.stations.models import Station
from onestop.supervision.models import (
    DUE_DAYS_MAX,
    DUE_WORKING_DAYS_MAX,
    NUMBER_PREFIX,
    CorrectiveAction,
    SourceKind,
    TargetKind,
)
from onestop.supervision.services.common import audit, clean_text, record, tell_target


@dataclasses.dataclass(frozen=True)
class ActionInput:
    """What a supervisor fills in to issue a corrective action."""

    target_kind: str
    problem: str
    requirement: str
    source_kind: str
    institution: Institution | None = None
    station: Station | None = None
    staff_member: User | None = None
    source_text: str = ""
    complaint: Complaint | None = None
    rectification_case: RectificationCase | None = None
    inspection_reference: str = ""
    # Exactly one of the two: a date, or a number of working days from now.
    due_on: dt.date | None = None
    due_working_days: int | None = None


def due_date_from(*, due_on: dt.date | None, due_working_days: int | None) -> dt.date:
    """The due date: the date given, or the N-th working day from today
    (onestop.core.workdays: weekends, holidays and 调休 counted)."""
    today = timezone.localdate()
    if (due_on is None) == (due_working_days is None):
        raise InvalidInput(_("Give either a due date or a number of working days."), field="due_on")
    if due_working_days is not None:
        if not 1 <= due_working_days <= DUE_WORKING_DAYS_MAX:
            raise InvalidInput(
                _("The number of working days must be from 1 to %(n)s."),
                field="due_working_days",
                n=DUE_WORKING_DAYS_MAX,
            )
        # add_workdays ends at 24:00 of the N-th working day, i.e. 00:00 of the
        # day after it: the due date is that working day.
        deadline = workdays.add_workdays(timezone.now(), due_working_days)
        return workdays.local_date(deadline) - workdays.ONE_DAY
    if due_on is None:  # pragma: no cover - excluded above
        raise InvalidInput(field="due_on")
    if due_on <= today:
        raise InvalidInput(_("The due date must be after today."), field="due_on")
    if (due_on - today).days > DUE_DAYS_MAX:
        raise InvalidInput(
            _("The due date may be at most %(n)s days away."), field="due_on", n=DUE_DAYS_MAX
        )
    return due_on


def _staff_region(actor: User, member: User) -> Region:
    """The region of the staff member's role that the supervisor covers."""
    scope = authz.region_scope(actor, Perm.SUPERVISE)
    for assignment in authz.assignments(member):
        region = assignment.region
        if assignment.role in authz.STAFF_ROLES and region is not None and scope.covers(region):
            return region
    raise NotFound(_("No such staff member works in your regions."))


def _target_region(actor: User, data: ActionInput) -> Region:
    """The region of the one target named (the supervisors of its subtree handle it)."""
    if data.target_kind not in TargetKind.values:
        raise InvalidInput(
            _("Choose whom the corrective action is addressed to."), field="target_kind"
        )
    given = {
        TargetKind.INSTITUTION: data.institution,
        TargetKind.STATION: data.station,
        TargetKind.STAFF: data.staff_member,
    }
    kind = TargetKind(data.target_kind)
    if given[kind] is None or any(v is not None for k, v in given.items() if k != kind):
        raise InvalidInput(
            _("Name exactly one institution, station or staff member."), field=str(kind)
        )
    if data.institution is not None:
        return data.institution.region
    if data.station is not None:
        return data.station.region
    member = data.staff_member
    if member is None:  # pragma: no cover - excluded above
        raise InvalidInput(field="staff_member")
    if member.pk == actor.pk:
        raise InvalidInput(
            _("A corrective action cannot be addressed to yourself."), field="staff_member"
        )
    return _staff_region(actor, member)


def _source(actor: User, data: ActionInput) -> dict[str, object]:
    if data.source_kind not in SourceKind.values:
        raise InvalidInput(_("Choose where the problem was found."), field="source_kind")
    scope = authz.region_scope(actor, Perm.SUPERVISE)
    complaint, case = data.complaint, data.rectification_case
    if complaint is not None and not scope.covers(complaint.region):
        raise InvalidInput(_("No such complaint in your regions."), field="complaint")
    if case is not None and not scope.covers(case.region):
        raise InvalidInput(
            _("No such rectification case in your regions."), field="rectification_case"
        )
    if data.source_kind == SourceKind.COMPLAINT and complaint is None:
        raise InvalidInput(_("Give the number of the complaint."), field="complaint")
    if data.source_kind == SourceKind.RECTIFICATION and case is None:
        raise InvalidInput(_("Choose the rectification case."), field="rectification_case")
    reference = (data.inspection_reference or "").strip()
    if data.source_kind == SourceKind.INSPECTION and not reference:
        raise InvalidInput(
            _("Give the number of the inspection record."), field="inspection_reference"
        )
    if len(reference) > 60:
        raise InvalidInput(_("The record number is too long."), field="inspection_reference")
    source_text = (data.source_text or "").strip()
    if len(source_text) > 200:
        raise InvalidInput(
            _("The source details may be at most 200 characters."), field="source_text"
        )
    return {
        "complaint": complaint,
        "rectification_case": case,
        "inspection_reference": reference,
        "source_text": source_text,
    }


def next_number(year: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{next_value(f'supervision:{year}'):06d}"


@transaction.atomic
def corrective_action_issue(*, actor: User, data: ActionInput) -> CorrectiveAction:
    """A supervisor over the target's region issues a corrective action
    (HM 5.1): the problem, the requirement and the due date; the target is
    told at once."""
    region = _target_region(actor, data)
    authz.require(actor, Perm.SUPERVISE, region)
    source = _source(actor, data)
    problem = clean_text(data.problem, field="problem", label=str(_("problem found")))
    requirement = clean_text(
        data.requirement, field="requirement", label=str(_("correction required"))
    )
    due_on = due_date_from(due_on=data.due_on, due_working_days=data.due_working_days)
    now = timezone.now()
    action = CorrectiveAction.objects.create(
        number=next_number(timezone.localdate(now).year),
        target_kind=data.target_kind,
        region=region,
        source_kind=data.source_kind,
        problem=problem,
        requirement=requirement,
        due_on=due_on,
        issued_by=actor,
        issued_at=now,
        institution=data.institution,
        station=data.station,
        staff_member=data.staff_member,
        **source,
    )
    record(action, actor=actor, from_status="")
    audit(
        actor,
        "action_issue",
        action,
        target=f"{action.target_kind}:{action.target.pk}",
        due_on=due_on.isoformat(),
        source=action.source_kind,
    )
    tell_target(
        action,
        kind="supervision.action_issued",
        title=str(
            _("Corrective action %(number)s: correct by %(date)s")
            % {"number": action.number, "date": due_on.isoformat()}
        ),
        body=problem[:200],
    )
    return action
