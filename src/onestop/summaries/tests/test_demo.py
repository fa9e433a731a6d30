"""The demo improvement plan loads through the services, once."""

from __future__ import annotations

import pytest

from onestop.summaries.demo import summaries_demo_load
from onestop.summaries.models import ImprovementItem, ImprovementPlan, ItemState

from .conftest import LAST_YEAR

pytestmark = pytest.mark.django_db


def test_the_demo_plan_loads_once_with_items_in_several_states(regions, make_user):
    make_user("center_staff", "450200", username="center_lz", kind="staff")

    assert summaries_demo_load() == 3
    assert summaries_demo_load() == 0

    plan = ImprovementPlan.objects.get(region__code="450200", year=LAST_YEAR)
    assert not plan.published
    states = list(ImprovementItem.objects.order_by("number").values_list("state", flat=True))
    assert states == [ItemState.RECHECKED, ItemState.IN_PROGRESS, ItemState.PLANNED]


def test_the_demo_is_skipped_without_the_demo_accounts(regions):
    assert summaries_demo_load() == 0
    assert not ImprovementItem.objects.exists()
