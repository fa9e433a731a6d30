"""Two people at once, on PostgreSQL with two connections: two staff claiming
the same demand (exactly one wins, the other is told who has it) and two
publications taking numbers (never the same one)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from onestop.demands import services
from onestop.demands.models import Demand, DemandEvent
from onestop.demands.tests.conftest import publish

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads lined up on a barrier; each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.clause("WX 7.2.2.2.1")
def test_two_staff_claiming_at_once_exactly_one_wins(demand, worker, colleague):
    results = race(
        lambda: services.demand_claim(actor=worker, demand=Demand.objects.get(pk=demand.pk)),
        lambda: services.demand_claim(actor=colleague, demand=Demand.objects.get(pk=demand.pk)),
    )

    won = [r for r in results if isinstance(r, Demand)]
    lost = [r for r in results if isinstance(r, services.AlreadyClaimed)]
    assert len(won) == 1, results
    assert len(lost) == 1, results
    demand.refresh_from_db()
    assert demand.assigned_to == won[0].assigned_to
    assert str(demand.assigned_to) in lost[0].message
    assert DemandEvent.objects.filter(demand=demand, kind="claim").count() == 1


def test_two_publications_at_once_get_different_numbers(person, calibration, jiangyin):
    results = race(
        lambda: publish(person, calibration, jiangyin),
        lambda: publish(person, calibration, jiangyin),
    )

    assert all(isinstance(r, Demand) for r in results), results
    assert sorted(r.number for r in results) == ["XQ2026111800001", "XQ2026111800002"]
