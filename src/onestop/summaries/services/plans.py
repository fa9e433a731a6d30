"""The improvement plan (WX 8.2): its items, and their tracked progress.

Summary managers (Perm.SUMMARY_MANAGE) of the plan's region add, edit and
remove items until the year's summary is published; the moves of
onestop.summaries.rules (start, complete, re-check, reopen) go on after
that, because the re-checks are what the public page shows. Every write is
audited; every move writes an ImprovementEvent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.sequences import next_value
from onestop.regions.models import Region
from onestop.summaries import rules
from onestop.summaries.models import (
    MEASURE_MAX,
    NOTE_MAX,
    OWNER_MAX,
    PROBLEM_MAX,
    RESULT_MAX,
    ImprovementEvent,
    ImprovementItem,
    ImprovementPlan,
    ItemState,
)


class PlanPublished(InvalidTransition):
    code = "plan_published"
    default_message = _(
        "The improvement plan has been published with the year's summary: its items can no "
        "longer be added, edited or removed. Their progress can still be recorded."
    )


def check_year(year: int) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise InvalidInput(
            _(
                "%(year)s has not begun yet. Choose a past year, or the current year for a "
                "provisional summary."
            ),
            field="year",
            year=year,
        )
    if not rules.year_is_allowed(year, today):
        raise InvalidInput(
            _("Choose a year from %(first)s to the current year."),
            field="year",
            first=rules.FIRST_YEAR,
        )


def lock_plan(region: Region, year: int) -> ImprovementPlan:
    """The region's plan of the year, created when missing, locked for this transaction."""
    plan, _created = ImprovementPlan.objects.get_or_create(region=region, year=year)
    return ImprovementPlan.objects.select_for_update(no_key=True, of=("self",)).get(pk=plan.pk)


def _text(value: str, *, field: str, label: Any, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("Fill in “%(label)s”."), field=field, label=label)
    if len(value) > max_length:
        raise InvalidInput(
            _("“%(label)s” may be at most %(max)s characters."),
            field=field,
            label=label,
            max=max_length,
        )
    return value


def _clean(
    *, year: int, problem: str, measure: str, owner: str, due_on: dt.date | None
) -> dict[str, Any]:
    cleaned: dict[str, Any] = {
        "problem": _text(
            problem, field="problem", label=_("Problem found"), max_length=PROBLEM_MAX
        ),
        "measure": _text(
            measure, field="measure", label=_("Improvement measure"), max_length=MEASURE_MAX
        ),
        "owner": _text(owner, field="owner", label=_("Responsible"), max_length=OWNER_MAX),
    }
    if due_on is None:
        raise InvalidInput(_("Fill in the due date."), field="due_on")
    if due_on < dt.date(year, 1, 1):
        raise InvalidInput(
            _("The due date cannot be before the year of the plan (%(year)s)."),
            field="due_on",
            year=year,
        )
    cleaned["due_on"] = due_on
    return cleaned


def _touch(plan: ImprovementPlan, now: dt.datetime) -> None:
    plan.changed_at = now
    plan.save(update_fields=["changed_at"])


def _audit(actor: User, action: str, item: ImprovementItem, **changes: Any) -> None:
    plan = item.plan
    audit_record(
        actor=actor,
        action=f"summaries.{action}",
        obj=item,
        region=plan.region,
        changes={"year": plan.year, "number": item.number, **changes},
    )


@transaction.atomic
def improvement_item_add(
    *,
    actor: User,
    region: Region,
    year: int,
    problem: str,
    measure: str,
    owner: str,
    due_on: dt.date | None,
) -> ImprovementItem:
    """A new item of the region's plan of ``year`` (WX 8.2 c), numbered in the plan."""
    authz.require(actor, Perm.SUMMARY_MANAGE, region)
    check_year(year)
    cleaned = _clean(year=year, problem=problem, measure=measure, owner=owner, due_on=due_on)
    plan = lock_plan(region, year)
    if not rules.can_edit_plan(published=plan.published):
        raise PlanPublished()
    now = timezone.now()
    item = ImprovementItem.objects.create(
        plan=plan,
        number=next_value(f"summaries.plan.{plan.pk}"),
        created_by=actor,
        **cleaned,
    )
    ImprovementEvent.objects.create(item=item, actor=actor, to_state=item.state)
    _touch(plan, now)
    _audit(actor, "item_add", item, **{k: str(v) for k, v in cleaned.items()})
    return item


def _lock_item(actor: User, item: ImprovementItem) -> ImprovementItem:
    locked = (
        ImprovementItem.objects.select_for_update(no_key=True, of=("self",))
        .select_related("plan__region")
        .get(pk=item.pk)
    )
    authz.require(actor, Perm.SUMMARY_MANAGE, locked.plan.region)
    # The plan row too: publication and edits of its items queue up on it.
    locked.plan = ImprovementPlan.objects.select_for_update(no_key=True, of=("self",)).get(
        pk=locked.plan_id
    )
    return locked


@transaction.atomic
def improvement_item_update(
    *,
    actor: User,
    item: ImprovementItem,
    problem: str,
    measure: str,
    owner: str,
    due_on: dt.date | None,
) -> ImprovementItem:
    """Edit an item's wording while the plan is unpublished; the audit row
    holds what changed (old → new)."""
    item = _lock_item(actor, item)
    plan = item.plan
    if not rules.can_edit_plan(published=plan.published):
        raise PlanPublished()
    cleaned = _clean(year=plan.year, problem=problem, measure=measure, owner=owner, due_on=due_on)
    changed = {
        name: [str(getattr(item, name)), str(value)]
        for name, value in cleaned.items()
        if getattr(item, name) != value
    }
    if not changed:
        return item
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.save(update_fields=[*cleaned, "updated_at"])
    _touch(plan, timezone.now())
    _audit(actor, "item_update", item, changed=changed)
    return item


@transaction.atomic
def improvement_item_remove(*, actor: User, item: ImprovementItem) -> None:
    """Take an item out of an unpublished plan (its record stays in the audit log)."""
    item = _lock_item(actor, item)
    plan = item.plan
    if not rules.can_edit_plan(published=plan.published):
        raise PlanPublished()
    _audit(actor, "item_remove", item, problem=item.problem, state=item.state)
    item.delete()
    _touch(plan, timezone.now())


@transaction.atomic
def improvement_item_move(
    *,
    actor: User,
    item: ImprovementItem,
    action: str,
    note: str = "",
    rechecked_on: dt.date | None = None,
) -> ImprovementItem:
    """One move of the item's state table (onestop.summaries.rules); a move
    not allowed from the current state is an InvalidTransition and changes
    nothing. Re-checking records the result (``note``) and its date."""
    item = _lock_item(actor, item)
    if action not in rules.ACTIONS:
        raise InvalidInput(_("Unknown action."))
    rule = rules.rule_for(item.state, action)
    if rule is None:
        raise InvalidTransition(
            _("An item that is “%(state)s” cannot be moved this way (%(action)s)."),
            state=str(ItemState(item.state).label),
            action=str(rules.ACTION_LABELS[action]),
        )
    label = _("Re-check result") if action == "recheck" else _("Note")
    cleaned = _text(
        note,
        field="note",
        label=label,
        max_length=RESULT_MAX if action == "recheck" else NOTE_MAX,
        required=rule.needs_note,
    )
    now = timezone.now()
    fields = ["state", "updated_at"]
    if action == "start":
        item.started_at = now
        fields.append("started_at")
    elif action == "complete":
        item.done_at = now
        fields.append("done_at")
    elif action == "recheck":
        item.recheck_result = cleaned
        item.rechecked_on = _recheck_date(item, rechecked_on)
        fields += ["recheck_result", "rechecked_on"]
    elif action == "reopen":
        item.done_at = None
        fields.append("done_at")
    from_state = item.state
    item.state = rule.target
    item.save(update_fields=fields)
    ImprovementEvent.objects.create(
        item=item, actor=actor, from_state=from_state, to_state=item.state, note=cleaned
    )
    _touch(item.plan, now)
    _audit(actor, f"item_{action}", item, **{"from": from_state, "to": item.state, "note": cleaned})
    return item


def _recheck_date(item: ImprovementItem, value: dt.date | None) -> dt.date:
    if value is None:
        raise InvalidInput(_("Fill in the date of the re-check."), field="rechecked_on")
    if value > timezone.localdate():
        raise InvalidInput(_("The re-check date cannot be in the future."), field="rechecked_on")
    if item.done_at is not None and value < timezone.localdate(item.done_at):
        raise InvalidInput(
            _("The re-check cannot be before the item was done (%(date)s)."),
            field="rechecked_on",
            date=timezone.localdate(item.done_at).isoformat(),
        )
    return value


def improvement_item_start(*, actor: User, item: ImprovementItem) -> ImprovementItem:
    return improvement_item_move(actor=actor, item=item, action="start")


def improvement_item_complete(
    *, actor: User, item: ImprovementItem, note: str = ""
) -> ImprovementItem:
    return improvement_item_move(actor=actor, item=item, action="complete", note=note)


def improvement_item_recheck(
    *, actor: User, item: ImprovementItem, result: str, rechecked_on: dt.date | None
) -> ImprovementItem:
    """WX 8.2 b: the re-check verifies the measure worked; result and date are published."""
    return improvement_item_move(
        actor=actor, item=item, action="recheck", note=result, rechecked_on=rechecked_on
    )


def improvement_item_reopen(*, actor: User, item: ImprovementItem, note: str) -> ImprovementItem:
    """The re-check found the problem not fixed: back to work, saying why."""
    return improvement_item_move(actor=actor, item=item, action="reopen", note=note)
