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

Usage:  .venv/bin/python bench/statistics.py [--orders 1000000] [--repeat 20] [--reuse]
  --reuse  measure again on the database a previous run left (no drop, no data, no rollup)
PostgreSQL is taken from BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/)
and a database ``onestop_bench_statistics`` is created there (and dropped first).
Not a test: it prints figures for docs/benchmarks.md.

The rows are written with INSERT … SELECT over generate_series (one
statement per table). Deadlines are approximate (calendar days): only their
outcome matters here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = "onestop_bench_statistics"
CITY = "320200"
DISTRICT = "320281"
N_USERS = 2000
N_INSTITUTIONS = 300
N_STATIONS = 20
DAYS = 365


def _percentiles(times: list[float]) -> tuple[float, float]:
    # (The module "statistics" is this file's own name here.)
    times = sorted(times)
    middle = len(times) // 2
    median = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
    return median, times[min(len(times) - 1, int(len(times) * 0.95))]


def _insert_select(model: Any, columns: dict[str, str], source: str, params: list[Any]) -> int:
    """INSERT INTO model's table (columns) SELECT … FROM source.

    ``columns`` maps column names to SQL expressions (no parameters in
    them); every other NOT NULL column gets the field's default, so a column
    another module adds later does not break the benchmark. ``params`` are
    those of ``source``.
    """
    from django.db import connection
    from django.utils import timezone

    exprs = dict(columns)
    defaults: list[Any] = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.column in exprs or field.null:
            continue
        if field.has_default():
            value = field.get_default()
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.blank:
            value = ""
        else:
            raise RuntimeError(f"{model.__name__}.{field.name}: no value and no default")
        exprs[field.column] = "%s"
        defaults.append(field.get_db_prep_save(value, connection))
    names = ", ".join(connection.ops.quote_name(c) for c in exprs)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({names}) "  # noqa: S608 - our own constants
        f"SELECT {', '.join(exprs.values())} FROM {source}"
    )
    # The expressions use the % operator; the driver wants it doubled.
    sql = sql.replace("%", "%%").replace("%%s", "%s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *params])
        return int(cursor.rowcount)


def _generate(orders: int) -> dict[str, Any]:
    import random

    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.catalog.models import ServiceCategory
    from onestop.catalog.services import catalog_load_bundled
    from onestop.complaints.models import Complaint
    from onestop.core.models import SlaClock
    from onestop.demands.models import Demand
    from onestop.enterprises.models import Enterprise, EnterpriseStatus
    from onestop.evaluations.models import Evaluation, Invitation, SurveyForm
    from onestop.evaluations.services import evaluations_load_forms
    from onestop.institutions.models import (
        Institution,
        InstitutionKind,
        InstitutionStatus,
        Offering,
    )
    from onestop.orders.models import Order, OrderEvent
    from onestop.regions.models import Region, RegionLevel
    from onestop.regions.services import regions_load_bundled
    from onestop.stations.models import Station, StationKind, Tier

    call_command("migrate", verbosity=0)
    regions_load_bundled()
    catalog_load_bundled()
    evaluations_load_forms()
    rng = random.Random(20261121)
    now = timezone.now()
    started = time.perf_counter()
    sizes: dict[str, int] = {}

    city = Region.objects.get(code=CITY)
    leaves = list(Region.objects.filter(path__startswith=city.path).exclude(level=RegionLevel.CITY))
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{i:05d}", display_name=f"基准用户{i}", password=unusable)
        for i in range(N_USERS)
    )
    homes = {u.pk: rng.choice(leaves) for u in users}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.INDIVIDUAL, region=homes[u.pk]) for u in users
    )
    subs = list(ServiceCategory.objects.filter(parent__isnull=False))
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            name=f"基准机构{i:04d}",
            uscc=f"BENCH{i:013d}",
            legal_representative="张三",
            address="某路",
            region=rng.choice(leaves),
            industry="技术服务",
            status=EnterpriseStatus.VERIFIED,
        )
        for i in range(N_INSTITUTIONS)
    )
    institutions = Institution.objects.bulk_create(
        Institution(
            enterprise=e,
            name=f"{e.region.name}第{i:04d}号检验检测中心",
            kind=InstitutionKind.TESTING_LAB,
            region=e.region,
            address="某路",
            service_phone="0510-1234567",
            status=InstitutionStatus.ACTIVE,
            agreement_version="bench",
            agreement_accepted_at=now,
            applied_at=now,
        )
        for i, e in enumerate(enterprises)
    )
    offerings = Offering.objects.bulk_create(
        Offering(
            institution=inst,
            category=rng.choice(subs),
            name=f"基准服务{i}",
            scope="基准",
            turnaround_working_days=rng.randint(1, 15),
        )
        for i, inst in enumerate(institutions * 2)
    )
    stations = Station.objects.bulk_create(
        Station(
            region=leaves[i % len(leaves)],
            tier=Tier.STATION,
            kind=StationKind.REGULATOR_OR_PARK,
            name=f"基准服务站{i}",
            address="某路",
            person_in_charge="李四",
        )
        for i in range(N_STATIONS)
    )
    five = SurveyForm.objects.filter(code="gbt39734-5").latest("version")
    category = subs[0]
    order_type = ContentType.objects.get_for_model(Order).pk
    demand_type = ContentType.objects.get_for_model(Demand).pk

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_user (idx int, user_id bigint, region_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_user VALUES (%s, %s, %s)",
            [(i, u.pk, homes[u.pk].pk) for i, u in enumerate(users)],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_offering (idx int, offering_id bigint, institution_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_offering VALUES (%s, %s, %s)",
            [(i, o.pk, o.institution_id) for i, o in enumerate(offerings)],
        )
        cursor.execute("CREATE TEMP TABLE bench_station (idx int, station_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_station VALUES (%s, %s)", [(i, s.pk) for i, s in enumerate(stations)]
        )

    # Orders: order i placed i × (a year / N) ago; 70 % completed after 1–10
    # days, 4 % declined, 8 % cancelled, the rest open; 5 % through a station.
    sizes["orders"] = _insert_select(
        Order,
        {
            "number": "'DD' || lpad(t.i::text, 12, '0')",
            "user_id": "u.user_id",
            "offering_id": "o.offering_id",
            "institution_id": "o.institution_id",
            "region_id": "u.region_id",
            "status": "t.status",
            "description": "'基准订单'",
            "contact_name": "'联系人'",
            "proxy_station_id": (
                "CASE WHEN t.i % 20 = 0 THEN (SELECT station_id FROM bench_station "  # noqa: S608
                f"WHERE idx = t.i % {N_STATIONS}) END"
            ),
            "created_at": "t.at",
            "updated_at": "t.at",
            "completed_at": (
                "CASE WHEN t.status = 'completed' THEN LEAST(t.at + (1 + t.i % 10) * "
                "interval '1 day', t.cap) END"
            ),
        },
        f"""(
            SELECT i, at, cap, CASE WHEN r < 0.70 THEN 'completed' WHEN r < 0.74 THEN 'declined'
                               WHEN r < 0.82 THEN 'cancelled' ELSE 'in_service' END AS status
            FROM (SELECT i, %s::timestamptz AS cap,
                         %s::timestamptz - i * (interval '{DAYS} days' / %s) AS at,
                         (hashint4(i + 3) & 2147483647) / 2147483647.0 AS r
                  FROM generate_series(1, %s) AS i) g
        ) t
        JOIN bench_user u ON u.idx = (hashint4(t.i) & 2147483647) % {N_USERS}
        JOIN bench_offering o ON o.idx = (hashint4(t.i + 7) & 2147483647) % {len(offerings)}
        """,  # noqa: S608 - our own constants, the values are parameters
        [now, now, orders, orders],
    )
    sizes["order events"] = _insert_select(
        OrderEvent,
        {
            "order_id": "o.id",
            "at": "o.created_at + interval '3 hours'",
            "from_status": "'submitted'",
            "to_status": "o.status",
            "kind": "'transition'",
            "party": "'institution'",
        },
        "orders_order o WHERE o.status IN ('declined', 'cancelled')",
        [],
    )
    sizes["acceptance clocks"] = _insert_select(
        SlaClock,
        {
            "subject_type_id": str(order_type),
            "subject_id": "o.id::text",
            "kind": "'order_acceptance'",
            "region_id": "o.region_id",
            "working_days": "1",
            "started_at": "o.created_at",
            "due_at": "o.created_at + interval '1 day'",
            "at_risk_at": "o.created_at + interval '12 hours'",
            "stopped_at": "o.created_at + (o.id % 30) * interval '1 hour'",
            "outcome": "CASE WHEN o.id % 30 < 24 THEN 'met' ELSE 'breached' END",
        },
        "orders_order o",
        [],
    )
    # Evaluations of 300,000 completed orders (about 43 % of them), one of
    # eight answer patterns each; the score is the pattern's mean.
    patterns = [
        ("satisfied", "satisfied", "satisfied", "satisfied", "satisfied", "yes", "4.00", False),
        ("very_satisfied",) * 5 + ("yes", "5.00", False),
        ("very_satisfied", "satisfied", "very_satisfied", "satisfied", "very_satisfied", "yes",
         "4.60", False),
        ("satisfied", "basically_satisfied", "satisfied", "satisfied", "satisfied", "yes", "3.80",
         False),
        ("basically_satisfied",) * 5 + ("yes", "3.00", False),
        ("satisfied", "dissatisfied", "satisfied", "satisfied", "basically_satisfied", "yes",
         "3.40", True),
        ("dissatisfied", "dissatisfied", "basically_satisfied", "dissatisfied", "dissatisfied",
         "no", "2.20", True),
        ("very_satisfied", "satisfied", "satisfied", "very_satisfied", "satisfied", "yes", "4.40",
         False),
    ]  # fmt: skip
    keys = [
        "institution_flow", "institution_1", "institution_2", "institution_3", "institution_4",
        "institution_5",
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_answer (idx int, answers jsonb, score numeric, bad bool)"
        )
        cursor.executemany(
            "INSERT INTO bench_answer VALUES (%s, %s::jsonb, %s, %s)",
            [
                (i, json.dumps(dict(zip(keys, p[:6], strict=True))), p[6], p[7])
                for i, p in enumerate(patterns)
            ],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_evaluated AS SELECT id, user_id, institution_id, region_id, "
            "completed_at FROM orders_order WHERE status = 'completed' "
            "ORDER BY hashint4(id::int) LIMIT 300000"
        )
    sizes["invitations"] = _insert_select(
        Invitation,
        {
            "order_id": "e.id",
            "form_id": str(five.pk),
            "created_at": "e.completed_at",
            "expires_at": "e.completed_at + interval '30 days'",
            "used_at": "e.completed_at",
        },
        "bench_evaluated e",
        [],
    )
    sizes["evaluations"] = _insert_select(
        Evaluation,
        {
            "invitation_id": "i.id",
            "order_id": "e.id",
            "form_id": str(five.pk),
            "institution_id": "e.institution_id",
            "region_id": "e.region_id",
            "rater_id": "e.user_id",
            "answers": "a.answers",
            "signed_on": "(e.completed_at AT TIME ZONE 'Asia/Shanghai')::date",
            "institution_score": "a.score",
            "bad": "a.bad",
            "created_at": "e.completed_at",
        },
        "bench_evaluated e JOIN evaluations_invitation i ON i.order_id = e.id "
        "JOIN bench_answer a ON a.idx = (hashint4(e.id::int) & 2147483647) % 8",
        [],
    )
    # Demands with their response and recommendation clocks.
    sizes["demands"] = _insert_select(
        Demand,
        {
            "number": "'XQ' || lpad(g.i::text, 12, '0')",
            "requester_id": "u.user_id",
            "contact_name": "'联系人'",
            "contact_method": "'phone'",
            "category_id": str(category.pk),
            "title": "'基准需求'",
            "description": "'基准需求描述'",
            "region_id": "u.region_id",
            "source": "CASE WHEN g.i % 3 = 0 THEN 'phone' ELSE 'online' END",
            "station_id": (
                "CASE WHEN g.i % 3 = 0 THEN (SELECT station_id FROM bench_station "  # noqa: S608
                f"WHERE idx = g.i % {N_STATIONS}) END"
            ),
            "status": "'recommended'",
            "created_at": "g.at",
            "updated_at": "g.at",
        },
        f"""(SELECT i, %s::timestamptz - i * (interval '{DAYS} days' / 100000) AS at
             FROM generate_series(1, 100000) AS i) g
            JOIN bench_user u ON u.idx = (hashint4(g.i) & 2147483647) % {N_USERS}""",  # noqa: S608
        [now],
    )
    for kind, days in (("demand_response", 1), ("demand_recommendation", 3)):
        sizes[f"{kind} clocks"] = _insert_select(
            SlaClock,
            {
                "subject_type_id": str(demand_type),
                "subject_id": "d.id::text",
                "kind": f"'{kind}'",
                "region_id": "d.region_id",
                "working_days": str(days),
                "started_at": "d.created_at",
                "due_at": f"d.created_at + interval '{days} days'",
                "at_risk_at": "d.created_at + interval '12 hours'",
                "stopped_at": f"d.created_at + (d.id % {30 * days}) * interval '1 hour'",
                "outcome": "CASE WHEN d.id % 10 < 9 THEN 'met' ELSE 'breached' END",
            },
            "demands_demand d",
            [],
        )
    # Complaints: a few thousand about the institutions.
    sizes["complaints"] = _insert_select(
        Complaint,
        {
            "number": "'TS-B-' || lpad(g.i::text, 8, '0')",
            "channel": "'online'",
            "complainant_id": "u.user_id",
            "complainant_name": "'投诉人'",
            "target": "'institution'",
            "institution_id": "o.institution_id",
            "region_id": "u.region_id",
            "type": (
                "(ARRAY['quality','timeliness','attitude','fees','integrity','privacy','other'])"
                "[1 + g.i % 7]"
            ),
            "content": "'基准投诉'",
            "request": "'请处理'",
            "status": "CASE WHEN g.i % 4 = 0 THEN 'investigating' ELSE 'closed' END",
            "received_at": "g.at",
            "concluded_at": "CASE WHEN g.i % 4 <> 0 THEN g.at + interval '5 days' END",
            "upheld": "CASE WHEN g.i % 4 <> 0 THEN g.i % 3 = 0 END",
            "closed_at": "CASE WHEN g.i % 4 <> 0 THEN g.at + interval '8 days' END",
            "satisfaction": (
                "CASE WHEN g.i % 4 <> 0 THEN (ARRAY['satisfied','basically','dissatisfied'])"
                "[1 + g.i % 3] ELSE '' END"
            ),
        },
        f"""(SELECT i, %s::timestamptz - interval '9 days'
                       - i * (interval '{DAYS - 10} days' / 5000) AS at
             FROM generate_series(1, 5000) AS i) g
            JOIN bench_user u ON u.idx = (hashint4(g.i) & 2147483647) % {N_USERS}
            JOIN bench_offering o ON o.idx = (hashint4(g.i + 7) & 2147483647) % {len(offerings)}
        """,  # noqa: S608 - our own constants, the values are parameters
        [now],
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    sizes["seconds"] = time.perf_counter() - started
    return sizes


def child(orders: int, repeat: int, reuse: bool = False) -> None:
    import django

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.test")
    django.setup()
    import logging

    logging.disable(logging.INFO)

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.regions.models import Region
    from onestop.reporting.models import Figure
    from onestop.reporting.services import figures_rollup
    from onestop.reporting.tables import period_tables

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL"
    print(f"\n== postgresql ({connection.settings_dict['NAME']})")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    if not reuse:
        sizes = _generate(orders)
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
    # What the nightly job does: yesterday and the six days before it again.
    began = time.perf_counter()
    nightly = figures_rollup(start=yesterday - dt.timedelta(days=6), end=yesterday)
    print(
        f"nightly rollup {nightly.start} to {nightly.end}: {nightly.rows:,} rows "
        f"in {time.perf_counter() - began:.1f} s"
    )
    per_grain = Figure.objects.values_list("grain").annotate(n=Count("pk")).order_by("grain")
    print("figure rows: " + ", ".join(f"{grain} {n:,}" for grain, n in per_grain))

    city = Region.objects.get(code=CITY)
    district = Region.objects.get(code=DISTRICT)
    year_start = dt.date(yesterday.year, 1, 1)
    quarter_first_month = 3 * ((yesterday.month - 1) // 3) + 1
    last_quarter_end = dt.date(yesterday.year, quarter_first_month, 1) - dt.timedelta(days=1)
    last_quarter_start = dt.date(last_quarter_end.year, last_quarter_end.month - 2, 1)
    cases = [
        ("city, calendar year to date", city, year_start, dt.date(yesterday.year, 12, 31)),
        ("city, last twelve months", city, today - dt.timedelta(days=DAYS), yesterday),
        ("city, last quarter", city, last_quarter_start, last_quarter_end),
        ("district, calendar year to date", district, year_start, dt.date(yesterday.year, 12, 31)),
    ]

    def timed(call: Callable[[], object]) -> tuple[float, float, int]:
        call()
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                call()
                times.append((time.perf_counter() - t0) * 1000)
            queries = len(captured)
        p50, p95 = _percentiles(times)
        return p50, p95, queries

    print(f"\n{'period_tables':<52}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
    for label, region, start, end in cases:
        p50, p95, queries = timed(
            lambda r=region, s=start, e=end: period_tables(region=r, start=s, end=e)
        )
        print(f"{label:<52}{p50:>8.1f}{p95:>8.1f}{queries:>9}")

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    staff, made = User.objects.get_or_create(username="bench_center", display_name="无锡中心")
    if made:
        RoleAssignment.objects.create(user=staff, role=Role.CENTER_STAFF, region=city)
    client = Client()
    client.force_login(staff)
    device, _made = TOTPDevice.objects.get_or_create(
        user=staff, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    def page(url: str) -> Callable[[], object]:
        def run() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return run

    print(f"\n{'pages through the test Client':<52}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")
    for label, url in [
        ("/statistics/ year, city", f"/statistics/?region={CITY}&kind=year&year={yesterday.year}"),
        (
            "/statistics/ month, district",
            f"/statistics/?region={DISTRICT}&kind=month&year={yesterday.year}"
            f"&month={yesterday.month}",
        ),
    ]:
        p50, p95, queries = timed(page(url))
        print(f"{label:<52}{p50:>8.1f}{p95:>8.1f}{queries:>9}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.orders, args.repeat, reuse=args.reuse)
        return
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    if not args.reuse:
        subprocess.run(
            ["psql", base + "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB_NAME}"], check=True
        )
        subprocess.run(["psql", base + "postgres", "-qc", f"CREATE DATABASE {DB_NAME}"], check=True)
    env = {**os.environ, "DATABASE_URL": base + DB_NAME}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            f"--orders={args.orders}",
            f"--repeat={args.repeat}",
            *(["--reuse"] if args.reuse else []),
        ],
        env=env,
        check=True,
    )


if __name__ == "__main__":
    main()
