"""The demo statistics: the history counted and a quarter published per city."""

from __future__ import annotations

import pytest

from onestop.evaluations.demo import history_demo_load
from onestop.evaluations.tests.conftest import world  # noqa: F401 - the fixture
from onestop.reporting.demo import reporting_demo_load
from onestop.reporting.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.clause("WX 8.1.1")
def test_demo_publishes_the_third_quarter_once(world, make_user):  # noqa: F811
    for username, code in (("center_hm", "650500"), ("center_wx", "320200")):
        make_user("center_staff", code, username=username, kind="staff")
    history_demo_load()
    reporting_demo_load()
    snapshots = Snapshot.objects.order_by("region__code")
    assert [s.region.code for s in snapshots] == ["320200", "650500"]
    tables = {table["key"]: table for table in snapshots[1].tables}
    assert tables["orders"]["rows"]
    reporting_demo_load()
    assert Snapshot.objects.count() == 2
