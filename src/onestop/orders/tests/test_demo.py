"""The demo has work in flight for the workbench queues (issue 5)."""

from __future__ import annotations

import pytest
import time_machine

from onestop.core.demo import demo_load
from onestop.demands.models import Demand, DemandStatus
from onestop.fieldwork.models import Sample, SampleStatus
from onestop.orders.models import Order, OrderStatus


@pytest.mark.django_db
@time_machine.travel("2026-11-18 10:00 +0800", tick=False)
def test_the_demo_loads_demands_orders_and_a_sample_once():
    demo_load()
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert {DemandStatus.PUBLISHED, DemandStatus.RECOMMENDED} <= statuses
    in_flight = Order.objects.exclude(description__startswith="【历史演示】")
    assert set(in_flight.values_list("status", flat=True)) == {
        OrderStatus.SUBMITTED,
        OrderStatus.IN_SERVICE,
    }
    history = Order.objects.filter(description__startswith="【历史演示】")
    assert set(history.values_list("status", flat=True)) == {OrderStatus.COMPLETED}
    assert Sample.objects.get().status == SampleStatus.IN_TRANSIT
    counts = (Demand.objects.count(), Order.objects.count(), Sample.objects.count())
    demo_load()
    assert (Demand.objects.count(), Order.objects.count(), Sample.objects.count()) == counts
