"""The demo history: past orders and evaluations, idempotent, nothing left open."""

from __future__ import annotations

import pytest

from onestop.core.models import SlaClock
from onestop.evaluations.demo import history_demo_load
from onestop.evaluations.models import CaseStatus, Evaluation, RectificationCase
from onestop.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.mark.clause("WX 8.1.3")
def test_history_is_in_the_past_and_loads_once(world):
    history_demo_load()
    orders = Order.objects.filter(description__startswith="【历史演示】")
    count = orders.count()
    assert count == 3 * (24 + 30)  # Hami and Wuxi have institutions in this world
    assert Evaluation.objects.filter(order__in=orders).exists()
    assert not orders.filter(created_at__year=2026, created_at__month__gte=10).exists()
    history_demo_load()
    assert orders.count() == count
    assert not SlaClock.objects.filter(stopped_at__isnull=True).exists()
    assert RectificationCase.objects.exists()
    assert not RectificationCase.objects.exclude(status=CaseStatus.CLOSED).exists()
    world.hm_institution.refresh_from_db()
    assert world.hm_institution.rating_count > 0
