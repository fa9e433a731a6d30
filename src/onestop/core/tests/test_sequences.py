"""The numbering service: in order per key, nothing used by a rolled-back
caller, unique when callers race (PostgreSQL pass)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from onestop.core.models import Sequence
from onestop.core.sequences import next_value


@pytest.mark.django_db
def test_values_run_per_key():
    assert [next_value("a"), next_value("a"), next_value("b"), next_value("a")] == [1, 2, 1, 3]


@pytest.mark.django_db
def test_a_rolled_back_caller_uses_no_number():
    next_value("k")
    with pytest.raises(RuntimeError), transaction.atomic():
        next_value("k")
        raise RuntimeError("the caller failed")
    assert Sequence.objects.get(key="k").last == 1
    assert next_value("k") == 2


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_callers_at_once_get_different_numbers():
    count = 6
    barrier = threading.Barrier(count)
    got: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                value = next_value("race")
            with lock:
                got.append(value)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == list(range(1, count + 1))
