"""Two at once on PostgreSQL, each on its own connection: two rollups of the
same days leave one set of rows; two publications of the same period get
versions 1 and 2. (The PostgreSQL pass: DATABASE_URL set, -m production.)"""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.orders.tests.test_concurrency import at_once
from onestop.reporting import services
from onestop.reporting.models import Figure, Snapshot

from .conftest import OCT_1, OCT_31

pytestmark = [pytest.mark.production, pytest.mark.django_db(transaction=True)]


def test_two_rollups_at_once_write_the_rows_once(october):
    services.figures_rollup(start=OCT_1, end=OCT_31)
    alone = Figure.objects.count()
    results = at_once(
        lambda: services.figures_rollup(start=OCT_1, end=OCT_31),
        lambda: services.figures_rollup(start=OCT_1, end=OCT_31),
    )
    assert all(isinstance(r, services.RollupResult) for r in results)
    assert Figure.objects.count() == alone


@pytest.mark.clause("WX 8.1.1")
def test_two_publications_at_once_get_two_versions(october, wx_center, regions):
    services.figures_rollup(start=OCT_1, end=dt.date(2026, 11, 17))

    def publish() -> Snapshot:
        return services.snapshot_publish(
            actor=wx_center, region=regions["320200"], kind="month", start=OCT_1, end=OCT_31,
            methods=["user"],
        )  # fmt: skip

    results = at_once(publish, publish)
    assert all(isinstance(r, Snapshot) for r in results)
    assert sorted(r.version for r in results) == [1, 2]  # type: ignore[union-attr]
