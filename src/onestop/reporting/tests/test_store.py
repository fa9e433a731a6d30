"""onestop.reporting.store: the duration figures (working days between two
dates of each row, found in the span table) equal a plain Python count over
many distinct pairs of dates, and each row finds its span by the table's key.
Scanning the span table for every row instead made a year's rollup
quadratic on SQLite (docs/performance.md, "SQLite rollup")."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from onestop.complaints.models import Complaint
from onestop.core import workdays
from onestop.orders.models import Order, OrderStatus
from onestop.reporting import figures, store
from onestop.reporting.models import Figure, Grain
from onestop.reporting.services import figures_rollup
from onestop.stations.models import Station, StationKind, Tier

from .conftest import SH

pytestmark = [pytest.mark.django_db]

FIRST, LAST = dt.date(2026, 8, 1), dt.date(2026, 11, 17)
DURATIONS = (figures.ORDER_DURATION, figures.COMPLAINT_DURATION)

Key = tuple[str, dt.date, int, int | None, int | None]


def scattered(rng: random.Random, days: int) -> tuple[dt.datetime, dt.datetime]:
    """A start at any minute of ``days`` days from FIRST (either side of
    midnight in Shanghai too) and an end 0 to 25 days later."""
    since = dt.datetime.combine(FIRST, dt.time(), tzinfo=SH) + dt.timedelta(
        minutes=rng.randrange(days * 24 * 60)
    )
    return since, since + dt.timedelta(minutes=rng.randrange(25 * 24 * 60))


@pytest.fixture
def spread(builder, regions):
    """80 completed orders of three institutions (every fourth through a
    station of another district) and 20 closed complaints."""
    rng = random.Random(1063)
    station = Station.objects.create(
        region=regions["320205"],
        tier=Tier.STATION,
        kind=StationKind.REGULATOR_OR_PARK,
        name="锡山区东亭服务站",
        address="锡山区东亭中路1号",
        person_in_charge="周建华",
    )
    institutions = [
        (builder.institution("320281", "江阴示范检测所"), "320281"),
        (builder.institution("320205", "锡山小型计量站"), "320205"),
        (builder.institution("650502", "哈密市产品质量检验所"), "650502"),
    ]
    offerings = [(builder.offering(institution), code) for institution, code in institutions]
    for n in range(80):
        offering, code = rng.choice(offerings)
        placed, completed = scattered(rng, 100)
        proxy = station if n % 4 == 0 else None
        builder.order(offering, code, placed, completed=completed, station=proxy)
    for _n in range(20):
        institution, code = rng.choice(institutions)
        received, closed = scattered(rng, 100)
        builder.complaint(
            code,
            received,
            institution=institution,
            type="quality",
            closed_at=closed,
            satisfaction="satisfied",
            status="closed",
        )


def counted_in_python() -> tuple[dict[Key, tuple[int, Decimal]], set[tuple[dt.date, dt.date]]]:
    """The duration figures of FIRST..LAST, row by row: (count, working days)
    per metric, day and party, and the distinct pairs of dates seen."""
    calendar = workdays.load_calendar()
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    pairs = set()

    def add(keys: list[Key], since: dt.datetime, until: dt.datetime) -> None:
        start, end = since.astimezone(SH).date(), until.astimezone(SH).date()
        pairs.add((start, end))
        for key in keys:
            sums[key][0] += 1
            sums[key][1] += calendar.workdays_between(start, end)

    orders = Order.objects.filter(status=OrderStatus.COMPLETED)
    for order in orders.select_related("institution", "proxy_station"):
        day = order.completed_at.astimezone(SH).date()
        if FIRST <= day <= LAST:
            metric = figures.ORDER_DURATION
            keys = [
                (metric, day, order.region_id, None, None),
                (metric, day, order.institution.region_id, order.institution_id, None),
            ]
            if order.proxy_station is not None:
                station = order.proxy_station
                keys.append((metric, day, station.region_id, None, station.pk))
            add(keys, order.created_at, order.completed_at)
    for complaint in Complaint.objects.filter(closed_at__isnull=False):
        day = complaint.closed_at.astimezone(SH).date()
        if FIRST <= day <= LAST:
            key = (figures.COMPLAINT_DURATION, day, complaint.region_id, None, None)
            add([key], complaint.received_at, complaint.closed_at)
    counted = {key: (count, Decimal(total)) for key, (count, total) in sums.items()}
    return counted, pairs


def test_durations_over_many_pairs_of_dates_equal_a_count_in_python(spread):
    # Given: orders and complaints started and finished on scattered days and hours
    expected, pairs = counted_in_python()

    # When
    figures_rollup(start=FIRST, end=LAST)

    # Then: the same counts and working days, day by day, at every level
    rows = Figure.objects.filter(grain=Grain.DAY, metric__in=DURATIONS).values_list(
        "metric", "day", "region_id", "institution_id", "station_id", "count", "total"
    )
    stored = {tuple(row[:5]): (row[5], row[6]) for row in rows}
    assert stored == expected
    assert len(pairs) > 70  # many distinct (since, until) pairs: one span each
    assert {figures.ORDER_DURATION, figures.COMPLAINT_DURATION} == {key[0] for key in stored}
    assert any(key[4] is not None for key in stored)  # the station level too


def test_each_row_finds_its_span_by_the_key_of_the_span_table(spread):
    # Given: the spans of the range
    sources = [source for source in figures.sources(start=FIRST, end=LAST) if source.duration]
    store.prepare_spans(sources)

    # When: SQLite's plan of each duration statement, and a pair stored twice
    plans = []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for source in sources:
                for sql, params in store.insert_statements(source):
                    cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                    plans.append([row[-1] for row in cursor.fetchall()])
        cursor.execute(f"SELECT since, until FROM {store.SPANS}")
        since, until = cursor.fetchone()
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute(
                f"INSERT INTO {store.SPANS} (since, until, days) VALUES (%s, %s, 0)",
                [since, until],
            )

    # Then: the table is keyed by its pair of dates on both databases, and
    # SQLite searches it by that key for each row instead of scanning it
    # (the scan evaluated the sub-select's date casts once per pair of rows).
    for plan in plans:
        assert not any(step.startswith("SCAN s") for step in plan), plan
        assert any(step.startswith("SEARCH s USING") for step in plan), plan
    assert len(plans) == (4 if connection.vendor == "sqlite" else 0)  # 3 levels + 1
