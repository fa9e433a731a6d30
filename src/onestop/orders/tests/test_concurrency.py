"""Two things at once on PostgreSQL, each on its own connection: one move
of an order wins, the other sees the result; two orders placed at once get
two numbers. (Run in the PostgreSQL pass: DATABASE_URL set, -m production.)"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connections

from onestop.core.errors import DomainError, InvalidTransition
from onestop.orders import services
from onestop.orders.models import Order, OrderEvent, OrderStatus

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


@pytest.mark.clause("WX A")
def test_start_and_cancel_at_once_one_wins(order, customer, lab_owner):
    # An accepted order: neither move touches the (stopped) acceptance clock,
    # so only the order's own lock keeps them apart.
    services.order_accept(actor=lab_owner, order=order)
    results = at_once(
        lambda: services.order_start(actor=lab_owner, order=order),
        lambda: services.order_cancel(actor=customer, order=order, reason=""),
    )
    won = [r for r in results if isinstance(r, Order)]
    lost = [r for r in results if isinstance(r, InvalidTransition)]
    assert (len(won), len(lost)) == (1, 1)
    order.refresh_from_db()
    assert order.status == won[0].status
    assert order.status in (OrderStatus.IN_SERVICE, OrderStatus.CANCELLED)
    # Placing, accepting and the one move that won: no duplicate row.
    assert [e.to_status for e in OrderEvent.objects.filter(order=order)] == [
        OrderStatus.SUBMITTED,
        OrderStatus.ACCEPTED,
        order.status,
    ]


def test_two_institution_people_starting_at_once_start_once(order, lab_owner, lab_member):
    services.order_accept(actor=lab_owner, order=order)
    results = at_once(
        lambda: services.order_start(actor=lab_owner, order=order),
        lambda: services.order_start(actor=lab_member, order=order),
    )
    assert sorted(type(r).__name__ for r in results) == ["InvalidTransition", "Order"]
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.IN_SERVICE).count() == 1


def test_orders_placed_at_once_get_different_numbers(place, customer, buyer):
    results = at_once(
        lambda: place(customer, description="同时下单一"),
        lambda: place(buyer, description="同时下单二"),
    )
    assert all(isinstance(r, Order) for r in results)
    numbers = sorted(r.number for r in results)  # type: ignore[union-attr]
    assert numbers == ["DD2026111800001", "DD2026111800002"]
    assert Order.objects.count() == 2
