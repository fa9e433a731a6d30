"""The demo loads late in a year whose successor the bundled calendar does
not cover: deadline-bearing demo data is left out, nothing else fails."""

from __future__ import annotations

import pytest
import time_machine

from onestop.accounts.models import User
from onestop.core.demo import DEMO_ACCOUNTS, demo_load
from onestop.orders.models import Order
from onestop.verification.models import Application


@pytest.mark.django_db
@time_machine.travel("2026-12-30 10:00 +0800", tick=False)
def test_the_demo_still_loads_on_30_december():
    demo_load()
    assert User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count() == len(
        DEMO_ACCOUNTS
    )
    assert not Application.objects.exists()
    # Work in flight is left out; the past quarters' history (all inside the
    # covered year) is there.
    assert not Order.objects.exclude(description__startswith="【历史演示】").exists()
    assert Order.objects.filter(description__startswith="【历史演示】").exists()
