"""Sample numbers: YP + China date + a 5-digit daily sequence."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.fieldwork.numbers import next_sample_number
from onestop.fieldwork.tests.conftest import sh

pytestmark = pytest.mark.clause("WX 5.2a")


def test_numbers_count_up_within_a_day_and_start_again_the_next(db, time_machine):
    time_machine.move_to(sh(2026, 11, 18, 23, 59))
    assert [next_sample_number() for _ in range(3)] == [
        "YP2026111800001",
        "YP2026111800002",
        "YP2026111800003",
    ]
    # 00:30 in Shanghai is still the 18th in UTC: the China date counts
    time_machine.move_to(sh(2026, 11, 19, 0, 30))
    assert next_sample_number() == "YP2026111900001"
    assert next_sample_number(day=dt.date(2026, 11, 18)) == "YP2026111800004"


def test_a_rolled_back_receipt_gives_its_number_back(db):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        next_sample_number(day=dt.date(2026, 11, 20))
        raise RuntimeError("the sample could not be saved")

    assert next_sample_number(day=dt.date(2026, 11, 20)) == "YP2026112000001"
