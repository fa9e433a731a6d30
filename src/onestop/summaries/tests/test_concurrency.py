"""Two things at once on PostgreSQL, each on its own connection: two requests
for the same summary make one generation; items added at once get different
numbers; publishing and adding an item at once never publish an item the
summary does not show. (Run in the PostgreSQL pass: DATABASE_URL set, -m production.)"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from onestop.core.errors import DomainError
from onestop.summaries import services
from onestop.summaries.models import AnnualSummary, ImprovementItem, ImprovementPlan

from .conftest import LAST_YEAR, add_item

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads lined up on a barrier; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except DomainError as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.clause("WX 8.1.3")
def test_two_requests_at_once_make_one_generation(world):
    def request() -> AnnualSummary:
        return services.summary_request(
            actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR
        )

    results = at_once(request, request)

    assert sorted(type(r).__name__ for r in results) == ["AnnualSummary", "SummaryRunning"]
    (summary,) = AnnualSummary.objects.all()
    assert summary.status == "done"


@pytest.mark.clause("WX 8.2")
def test_items_added_at_once_get_different_numbers(world):
    results = at_once(
        lambda: add_item(world, year=LAST_YEAR, problem="问题一"),
        lambda: add_item(world, year=LAST_YEAR, problem="问题二"),
    )

    assert all(isinstance(r, ImprovementItem) for r in results)
    assert sorted(ImprovementItem.objects.values_list("number", flat=True)) == [1, 2]
    assert ImprovementPlan.objects.count() == 1


@pytest.mark.clause("WX 8.2")
def test_publishing_and_adding_at_once_never_publish_an_item_not_in_the_summary(world):
    add_item(world, year=LAST_YEAR)
    summary = services.summary_request(actor=world.lz_manager, region=world.liuzhou, year=LAST_YEAR)
    summary.refresh_from_db()
    assert summary.status == "done"

    results = at_once(
        lambda: services.summary_publish(actor=world.lz_manager, summary=summary),
        lambda: add_item(world, year=LAST_YEAR, problem="同时新增"),
    )

    plan = ImprovementPlan.objects.get()
    won = [r for r in results if not isinstance(r, DomainError)]
    assert len(won) == 1
    if plan.published:
        # Published first: the late item was refused.
        assert isinstance(results[1], services.PlanPublished)
        assert ImprovementItem.objects.count() == 1
    else:
        # Added first: the summary no longer shows the plan, so it was not published.
        assert isinstance(results[0], DomainError)
        assert ImprovementItem.objects.count() == 2
