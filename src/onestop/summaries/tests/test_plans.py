"""The improvement plan (WX 8.2): items entered, edited and removed until the
summary is published, their progress tracked through re-check, all audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.summaries import services
from onestop.summaries.models import ImprovementEvent, ImprovementItem, ImprovementPlan, ItemState

from .conftest import LAST_YEAR, YEAR, add_item

pytestmark = pytest.mark.django_db


def audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


@pytest.mark.clause("WX 8.2")
def test_an_item_is_numbered_in_its_plan_recorded_and_audited(world):
    first = add_item(world, year=LAST_YEAR)
    second = add_item(world, year=LAST_YEAR, problem="窗口排队时间长")

    plan = ImprovementPlan.objects.get(region=world.liuzhou, year=LAST_YEAR)
    assert (first.plan, second.plan) == (plan, plan)
    assert (first.number, second.number) == (1, 2)
    assert first.state == ItemState.PLANNED
    assert plan.changed_at is not None
    assert not plan.published
    assert [(e.from_state, e.to_state, e.actor) for e in first.events.all()] == [
        ("", ItemState.PLANNED, world.lz_manager)
    ]
    (event, _second) = audited("summaries.item_add")
    assert event.object_id == str(first.pk)
    assert event.region == world.liuzhou
    assert event.changes["owner"] == "计量科"


@pytest.mark.clause("WX 8.2")
def test_each_plan_numbers_its_own_items(world):
    add_item(world, year=LAST_YEAR)
    other = add_item(world, year=YEAR)
    assert other.number == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"problem": "  "}, "problem"),
        ({"measure": ""}, "measure"),
        ({"owner": "科" * 101}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": dt.date(LAST_YEAR - 1, 12, 31)}, "due_on"),
    ],
)
def test_bad_input_stores_nothing(world, fields, field):
    with pytest.raises(InvalidInput) as refused:
        add_item(world, year=LAST_YEAR, **fields)
    assert refused.value.field == field
    assert not ImprovementItem.objects.exists()
    assert not audited("summaries.item_add")


def test_a_future_year_is_refused(world):
    with pytest.raises(InvalidInput) as refused:
        add_item(world, year=YEAR + 1)
    assert refused.value.field == "year"
    assert not ImprovementPlan.objects.exists()


def test_only_summary_managers_of_the_region_enter_items(world):
    with pytest.raises(NotAllowed):
        add_item(world, actor=world.wx_manager)
    with pytest.raises(NotAllowed):
        add_item(world, actor=world.station_staff)
    assert not ImprovementItem.objects.exists()


def test_an_edit_records_what_changed(world):
    item = add_item(world, year=LAST_YEAR)

    services.improvement_item_update(
        actor=world.lz_manager,
        item=item,
        problem=item.problem,
        measure=item.measure,
        owner="质量科",
        due_on=dt.date(2026, 6, 30),
    )

    item.refresh_from_db()
    assert item.owner == "质量科"
    (event,) = audited("summaries.item_update")
    assert event.changes["changed"] == {
        "owner": ["计量科", "质量科"],
        "due_on": ["2026-03-31", "2026-06-30"],
    }


def test_an_edit_that_changes_nothing_is_not_audited(world):
    item = add_item(world, year=LAST_YEAR)
    services.improvement_item_update(
        actor=world.lz_manager,
        item=item,
        problem=item.problem,
        measure=item.measure,
        owner=item.owner,
        due_on=item.due_on,
    )
    assert not audited("summaries.item_update")


def test_an_item_can_be_removed_from_an_unpublished_plan(world):
    item = add_item(world, year=LAST_YEAR)

    services.improvement_item_remove(actor=world.lz_manager, item=item)

    assert not ImprovementItem.objects.exists()
    (event,) = audited("summaries.item_remove")
    assert event.changes["problem"] == "报告出具超时，用户多次催办"


@pytest.mark.clause("WX 8.2")
def test_an_item_goes_through_start_done_and_recheck(world):
    item = add_item(world, year=LAST_YEAR)

    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item, note="已上线提醒")
    item = services.improvement_item_recheck(
        actor=world.lz_manager,
        item=item,
        result="抽查 20 份报告均按时出具",
        rechecked_on=dt.date(2026, 11, 18),
    )

    assert item.state == ItemState.RECHECKED
    assert item.recheck_result == "抽查 20 份报告均按时出具"
    assert item.rechecked_on == dt.date(2026, 11, 18)
    assert item.started_at is not None
    assert item.done_at is not None
    assert [(e.from_state, e.to_state, e.note) for e in ImprovementEvent.objects.all()] == [
        ("", "planned", ""),
        ("planned", "in_progress", ""),
        ("in_progress", "done", "已上线提醒"),
        ("done", "rechecked", "抽查 20 份报告均按时出具"),
    ]
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="summaries.item_").order_by("seq")
    ] == [
        "summaries.item_add",
        "summaries.item_start",
        "summaries.item_complete",
        "summaries.item_recheck",
    ]


@pytest.mark.clause("WX 8.2")
def test_a_failed_recheck_reopens_the_item_with_the_finding(world):
    item = add_item(world, year=LAST_YEAR)
    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item)

    with pytest.raises(InvalidInput):
        services.improvement_item_reopen(actor=world.lz_manager, item=item, note=" ")
    item = services.improvement_item_reopen(
        actor=world.lz_manager, item=item, note="抽查仍有 3 份超期"
    )

    assert item.state == ItemState.IN_PROGRESS
    assert item.done_at is None
    assert item.events.last().note == "抽查仍有 3 份超期"


@pytest.mark.parametrize("action", ["complete", "recheck", "reopen"])
def test_a_move_not_in_the_table_changes_nothing(world, action):
    item = add_item(world, year=LAST_YEAR)

    with pytest.raises(InvalidTransition):
        services.improvement_item_move(
            actor=world.lz_manager,
            item=item,
            action=action,
            note="说明",
            rechecked_on=dt.date(2026, 11, 1),
        )

    item.refresh_from_db()
    assert item.state == ItemState.PLANNED
    assert item.events.count() == 1


def test_a_recheck_needs_a_result_and_a_date_not_in_the_future(world):
    item = add_item(world, year=LAST_YEAR)
    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item)

    for result, day, field in [
        ("", dt.date(2026, 11, 18), "note"),
        ("已复查", None, "rechecked_on"),
        ("已复查", dt.date(2026, 11, 19), "rechecked_on"),
        ("已复查", dt.date(2026, 11, 17), "rechecked_on"),  # before it was done (today)
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.improvement_item_recheck(
                actor=world.lz_manager, item=item, result=result, rechecked_on=day
            )
        assert refused.value.field == field
    item.refresh_from_db()
    assert item.state == ItemState.DONE


def test_moves_need_the_permission_over_the_region(world):
    item = add_item(world, year=LAST_YEAR)
    with pytest.raises(NotAllowed):
        services.improvement_item_start(actor=world.wx_manager, item=item)
    item.refresh_from_db()
    assert item.state == ItemState.PLANNED


@pytest.mark.clause("WX 8.2")
def test_a_published_plan_is_frozen_but_its_items_still_move(world):
    item = add_item(world, year=LAST_YEAR)
    ImprovementPlan.objects.filter(pk=item.plan_id).update(published_at=timezone.now())

    with pytest.raises(services.PlanPublished):
        add_item(world, year=LAST_YEAR)
    with pytest.raises(services.PlanPublished):
        services.improvement_item_update(
            actor=world.lz_manager,
            item=item,
            problem="改写",
            measure=item.measure,
            owner=item.owner,
            due_on=item.due_on,
        )
    with pytest.raises(services.PlanPublished):
        services.improvement_item_remove(actor=world.lz_manager, item=item)
    item = services.improvement_item_start(actor=world.lz_manager, item=item)

    assert item.state == ItemState.IN_PROGRESS
    assert item.problem == "报告出具超时，用户多次催办"
    assert ImprovementItem.objects.count() == 1
