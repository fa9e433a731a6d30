"""Statistics at city scale (issue 6): one city (Wuxi) with a year of data on
PostgreSQL — 1,000,000 orders with their acceptance clocks, 300,000
evaluations, 100,000 demands with their two clocks, 5,000 complaints.

Prints
  * how long the rollup of the whole year takes (``onestop figures_rollup``)
    and how many figure rows it writes, and the nightly run (the last seven
    days again);
  * p50/p95 of ``period_tables`` (the function behind the dashboard, the
    published snapshot and the annual summary) for the city and a district:
    the calendar year, the last twelve months, a quarter — with the SQL
    queries per call (target: the year for the city ≤ 1 s);
  * p50/p95 of the dashboard page through the Django test Client.

Usage:  .venv/bin/python bench/statistics_scale.py [--orders 1000000] [--repeat 20] [--reuse]
  --reuse  measure again on the database a previous run left (no drop, no data, no rollup)
PostgreSQL is taken from BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/)
and a database ``onestop_bench_statistics`` is created there (and dropped first).
Not a test: it prints figures for docs/benchmarks.md. The data is written by
statistics_data.py in the city of statistics_world.py.

(Not named statistics.py: a script run from bench/ has bench/ first on
sys.path, and would shadow the standard library's module for every script
there.)
"""

from __future__ import annotations

import datetime as dt
import time

import benchlib
from statistics_data import generate
from statistics_world import CITY, DAYS, DISTRICT

DB_NAME = "onestop_bench_statistics"
WIDTH = 52


def child(orders: int, repeat: int, reuse: bool) -> None:
    benchlib.django_setup()
    from django.db import connection
    from django.utils import timezone

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL"
    print(f"\n== postgresql ({connection.settings_dict['NAME']})")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    if not reuse:
        _generate_and_roll_up(orders, today, yesterday)
    _nightly_rollup(yesterday)
    _period_tables(repeat, today, yesterday)
    _pages(repeat, yesterday)


def _generate_and_roll_up(orders: int, today: dt.date, yesterday: dt.date) -> None:
    from django.db import connection

    from onestop.reporting.services import figures_rollup

    sizes = generate(orders)
    seconds = sizes.pop("seconds")
    print("data: " + ", ".join(f"{n:,} {what}" for what, n in sizes.items()))
    print(f"generated in {seconds:.1f} s")
    first = today - dt.timedelta(days=DAYS + 1)
    began = time.perf_counter()
    result = figures_rollup(start=first, end=yesterday)
    print(
        f"rollup {result.start} to {result.end}: {result.rows:,} figure rows "
        f"in {time.perf_counter() - began:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE reporting_figure")


def _nightly_rollup(yesterday: dt.date) -> None:
    """What the nightly job does: yesterday and the six days before it again."""
    from django.db.models import Count

    from onestop.reporting.models import Figure
    from onestop.reporting.services import figures_rollup

    began = time.perf_counter()
    nightly = figures_rollup(start=yesterday - dt.timedelta(days=6), end=yesterday)
    print(
        f"nightly rollup {nightly.start} to {nightly.end}: {nightly.rows:,} rows "
        f"in {time.perf_counter() - began:.1f} s"
    )
    per_grain = Figure.objects.values_list("grain").annotate(n=Count("pk")).order_by("grain")
    print("figure rows: " + ", ".join(f"{grain} {n:,}" for grain, n in per_grain))


def _period_tables(repeat: int, today: dt.date, yesterday: dt.date) -> None:
    from onestop.regions.models import Region
    from onestop.reporting.tables import period_tables

    city = Region.objects.get(code=CITY)
    district = Region.objects.get(code=DISTRICT)
    year_start = dt.date(yesterday.year, 1, 1)
    year_end = dt.date(yesterday.year, 12, 31)
    quarter_first_month = 3 * ((yesterday.month - 1) // 3) + 1
    last_quarter_end = dt.date(yesterday.year, quarter_first_month, 1) - dt.timedelta(days=1)
    last_quarter_start = dt.date(last_quarter_end.year, last_quarter_end.month - 2, 1)
    cases = [
        ("city, calendar year to date", city, year_start, year_end),
        ("city, last twelve months", city, today - dt.timedelta(days=DAYS), yesterday),
        ("city, last quarter", city, last_quarter_start, last_quarter_end),
        ("district, calendar year to date", district, year_start, year_end),
    ]
    benchlib.print_header("period_tables", WIDTH)
    for label, region, start, end in cases:
        figures = benchlib.timed(
            lambda r=region, s=start, e=end: period_tables(region=r, start=s, end=e), repeat
        )
        benchlib.print_row(label, WIDTH, figures)


def _pages(repeat: int, yesterday: dt.date) -> None:
    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.regions.models import Region

    staff, made = User.objects.get_or_create(username="bench_center", display_name="无锡中心")
    if made:
        city = Region.objects.get(code=CITY)
        RoleAssignment.objects.create(user=staff, role=Role.CENTER_STAFF, region=city)
    client = benchlib.logged_in(staff, staff=True)
    benchlib.print_header("pages through the test Client", WIDTH)
    for label, url in [
        ("/statistics/ year, city", f"/statistics/?region={CITY}&kind=year&year={yesterday.year}"),
        (
            "/statistics/ month, district",
            f"/statistics/?region={DISTRICT}&kind=month&year={yesterday.year}"
            f"&month={yesterday.month}",
        ),
    ]:
        benchlib.print_row(label, WIDTH, benchlib.timed(benchlib.page(client, url), repeat))


if __name__ == "__main__":
    benchlib.main(script=__file__, doc=__doc__, db_name=DB_NAME, repeat=20, child=child)
