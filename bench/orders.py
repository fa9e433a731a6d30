"""Order queues at scale (issue 5): 1,000,000 orders on PostgreSQL.

Prints the p50/p95 latency (ms) and the SQL queries per page of
  * the staff order queue (/orders/manage/): first page for a city's
    service-center staff and a district station's staff, and filtered pages
    (status, institution, escalated, breached acceptance clock);
  * one user's order list (/orders/mine/);
each measured through the selectors (count + page, as the view does) and
through the Django test Client (the whole page, session and templates).

Usage:  .venv/bin/python bench/orders.py [--orders 1000000] [--repeat 40] [--reuse]
  --reuse  measure again on the database a previous run left (no drop, no data)
PostgreSQL is taken from BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/)
and a database ``onestop_bench_orders`` is created there (and dropped first).
Not a test: it prints figures for the closing notes and docs/benchmarks.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import benchlib

if TYPE_CHECKING:
    from onestop.accounts.models import User

DB_NAME = "onestop_bench_orders"
N_USERS = 600
N_INSTITUTIONS = 300
N_PARKS = 200
# Status shares of the orders older than the newest few thousand.
STATUS_SHARES = [
    ("completed", 0.70),
    ("cancelled", 0.08),
    ("declined", 0.04),
    ("in_service", 0.07),
    ("delivered", 0.04),
    ("accepted", 0.04),
    ("waiting_user", 0.03),
]
NEWEST_SUBMITTED = 3000
WIDTH = 58


def _generate(orders: int) -> tuple[float, int, float]:
    """Regions, users, institutions, offerings, ``orders`` orders and the
    acceptance clocks of the newest; returns the seconds spent and the clocks."""
    import random

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.catalog.models import ServiceCategory
    from onestop.catalog.services import catalog_load_bundled
    from onestop.core.services import sla_clock_start
    from onestop.enterprises.models import Enterprise, EnterpriseStatus
    from onestop.institutions.models import (
        Institution,
        InstitutionKind,
        InstitutionStatus,
        Offering,
    )
    from onestop.orders.models import ACCEPTANCE_CLOCK, Order
    from onestop.regions.models import Region, RegionLevel
    from onestop.regions.services import regions_load_bundled

    call_command("migrate", verbosity=0)
    regions_load_bundled()
    catalog_load_bundled()
    rng = random.Random(20261121)
    now = timezone.now()
    started = time.perf_counter()

    # Regions: the bundled tree plus parks under every district (a few hundred).
    districts = list(Region.objects.filter(level=RegionLevel.DISTRICT))
    Region.objects.bulk_create(
        Region(
            code=f"{d.code}{100 + i // len(districts):03d}",
            name=f"{d.name}基准园区{i}",
            level=RegionLevel.PARK,
            parent=d,
            path=f"{d.path}{d.code}{100 + i // len(districts):03d}/",
        )
        for i, d in ((i, districts[i % len(districts)]) for i in range(N_PARKS))
    )
    leaves = list(Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.PARK]))

    # People: users with their home region (a role assignment, as registration makes).
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(username=f"bench{i:05d}", display_name=f"基准用户{i}", password=unusable)
        for i in range(N_USERS)
    )
    homes = {u.pk: rng.choice(leaves) for u in users}
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=u, role=Role.INDIVIDUAL, region=homes[u.pk]) for u in users
    )
    # Institutions and their offerings.
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

    # The orders: one INSERT … SELECT over generate_series; order i was placed
    # i minutes ago (1M orders span about two years), newest have index 1.
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
        bounds, total = [], 0.0
        for status, share in STATUS_SHARES:
            total += share
            bounds.append((status, total / sum(s for _, s in STATUS_SHARES)))
        case = " ".join(f"WHEN r < {b:.4f} THEN '{s}'" for s, b in bounds[:-1])
        cursor.execute(
            f"""
            INSERT INTO orders_order (
                number, user_id, enterprise_id, offering_id, institution_id, region_id,
                status, description, contact_name, price, expected_completion,
                escalated_at, escalation_reason, created_at, updated_at, completed_at
            )
            SELECT
                'DD' || to_char(t.at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                     || lpad((t.i %% 100000)::text, 5, '0'),
                u.user_id, NULL, o.offering_id, o.institution_id, u.region_id,
                t.status, '基准订单需求描述', '联系人', NULL,
                CASE WHEN t.status IN ('accepted', 'in_service', 'waiting_user', 'delivered',
                                       'completed')
                     THEN (t.at + interval '7 days')::date END,
                CASE WHEN t.i %% 997 = 0 THEN t.at + interval '2 days' END,
                CASE WHEN t.i %% 997 = 0 THEN '站点无法协调' ELSE '' END,
                t.at, t.at,
                CASE WHEN t.status = 'completed' THEN t.at + interval '7 days' END
            FROM (
                SELECT i, %s::timestamptz - i * interval '1 minute' AS at,
                       CASE WHEN i <= %s THEN 'submitted'
                            ELSE (CASE {case} ELSE '{bounds[-1][0]}' END) END AS status
                FROM (SELECT i, random() AS r FROM generate_series(1, %s) AS i) g
            ) t
            JOIN bench_user u ON u.idx = (hashint4(t.i) & 2147483647) %% %s
            JOIN bench_offering o ON o.idx = (hashint4(t.i + 7) & 2147483647) %% %s
            """,  # noqa: S608 - our own constants, the values are parameters
            [now, NEWEST_SUBMITTED, orders, len(users), len(offerings)],
        )
    generated = time.perf_counter() - started
    # Acceptance clocks for the orders awaiting acceptance (some already overdue).
    submitted = list(
        Order.objects.filter(status="submitted").order_by("-created_at").values("pk", "created_at")
    )
    clock_start = time.perf_counter()
    with transaction.atomic():
        for row in submitted:
            stub = Order(pk=row["pk"])
            sla_clock_start(  # the selectors read only the subject, kind and times
                subject=stub,
                kind=ACCEPTANCE_CLOCK,
                working_days=1,
                started_at=row["created_at"],
                region=None,
            )
    clocks = time.perf_counter() - clock_start
    with connection.cursor() as cursor:
        # What autovacuum does on a live database: statistics and the visibility
        # map (index-only scans for the capped counts).
        cursor.execute("VACUUM ANALYZE")
    return generated, len(submitted), clocks


def child(orders: int, repeat: int, reuse: bool) -> None:
    benchlib.django_setup()
    from django.db import connection

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.institutions.models import Institution
    from onestop.orders import selectors
    from onestop.orders.models import Order
    from onestop.regions.models import Region, RegionLevel

    assert connection.vendor == "postgresql", "the benchmark runs on PostgreSQL"
    if not reuse:
        generated, n_clocks, clocks = _generate(orders)
    else:
        generated, n_clocks, clocks = 0.0, Order.objects.filter(status="submitted").count(), 0.0
    users = list(User.objects.filter(username__startswith="bench0").order_by("pk"))
    leaves = Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.PARK]).count()

    # Who reads: a city's center staff, a district station's staff, one user.
    wuxi = Region.objects.get(code="320200")
    jiangyin = Region.objects.get(code="320281")
    center, made = User.objects.get_or_create(username="bench_center", display_name="无锡中心")
    if made:
        RoleAssignment.objects.create(user=center, role=Role.CENTER_STAFF, region=wuxi)
    station, made = User.objects.get_or_create(username="bench_station", display_name="江阴站")
    if made:
        RoleAssignment.objects.create(user=station, role=Role.STATION_STAFF, region=jiangyin)
    reader = users[0]
    counts = {
        "all": Order.objects.count(),
        "Wuxi": Order.objects.filter(region__path__startswith=wuxi.path).count(),
        "Jiangyin": Order.objects.filter(region__path__startswith=jiangyin.path).count(),
        "user": Order.objects.filter(user=reader).count(),
    }
    print(f"\n== postgresql ({connection.settings_dict['NAME']})")
    print(
        f"data: {counts['all']:,} orders ({counts['Wuxi']:,} in Wuxi, {counts['Jiangyin']:,} in "
        f"Jiangyin, {counts['user']:,} of the listed user), {leaves} leaf regions, "
        f"{N_USERS} users, {N_INSTITUTIONS} institutions; generated in {generated:.1f} s, "
        f"{n_clocks:,} acceptance clocks in {clocks:.1f} s"
    )
    some_institution = list(Institution.objects.order_by("pk"))[7].pk
    _selectors(repeat, center=center, station=station, reader=reader, institution=some_institution)
    _pages(repeat, center=center, station=station, reader=reader, institution=some_institution)

    # The plan of the first page, for the record.
    orders_ = selectors.staff_queue(user=center, filters=selectors.StaffFilter())
    print("\nplan of the Wuxi first page:")
    print(orders_[:21].explain(analyze=True))


def _selectors(repeat: int, *, center: User, station: User, reader: User, institution: int) -> None:
    """The queues through the selectors: count + page, as the view does."""
    from django.core.paginator import Paginator

    from onestop.orders import selectors

    def staff_page(user: User, **filters: object) -> Callable[[], object]:
        def run() -> object:
            orders_ = selectors.staff_queue(user=user, filters=selectors.StaffFilter(**filters))
            return selectors.capped_page(orders_, page=1, per_page=20)

        return run

    def user_page() -> object:
        return Paginator(selectors.orders_of_user(user=reader), 20).get_page(1).object_list[:]

    benchlib.print_header("selectors (count + page)", WIDTH)
    cases = [
        ("staff queue, Wuxi center, first page", staff_page(center)),
        ("staff queue, Jiangyin station, first page", staff_page(station)),
        ("staff queue, Wuxi, status=in_service", staff_page(center, status="in_service")),
        (
            "staff queue, Wuxi, one institution, open",
            staff_page(center, status="open", institution_id=institution),
        ),
        ("staff queue, Wuxi, escalated", staff_page(center, escalated=True)),
        ("staff queue, Wuxi, acceptance overdue", staff_page(center, clock="breached")),
        ("one user's orders, first page", user_page),
    ]
    for label, call in cases:
        benchlib.print_row(label, WIDTH, benchlib.timed(call, repeat))


def _pages(repeat: int, *, center: User, station: User, reader: User, institution: int) -> None:
    """The same queues as whole pages through the test Client."""
    center_client = benchlib.logged_in(center, staff=True)
    station_client = benchlib.logged_in(station, staff=True)
    user_client = benchlib.logged_in(reader, staff=False)
    page = benchlib.page
    benchlib.print_header("pages through the test Client", WIDTH)
    cases = [
        ("/orders/manage/ (Wuxi center)", page(center_client, "/orders/manage/")),
        ("/orders/manage/ (Jiangyin station)", page(station_client, "/orders/manage/")),
        (
            "/orders/manage/?status=in_service (Wuxi)",
            page(center_client, "/orders/manage/?status=in_service"),
        ),
        (
            "/orders/manage/?institution=…&status=open (Wuxi)",
            page(center_client, f"/orders/manage/?institution={institution}&status=open"),
        ),
        (
            "/orders/manage/?escalated=on (Wuxi)",
            page(center_client, "/orders/manage/?escalated=on"),
        ),
        (
            "/orders/manage/?clock=breached (Wuxi)",
            page(center_client, "/orders/manage/?clock=breached"),
        ),
        ("/orders/manage/?page=50 (Wuxi)", page(center_client, "/orders/manage/?page=50")),
        ("/orders/mine/ (one user)", page(user_client, "/orders/mine/")),
    ]
    for label, call in cases:
        benchlib.print_row(label, WIDTH, benchlib.timed(call, repeat))


if __name__ == "__main__":
    benchlib.main(script=__file__, doc=__doc__, db_name=DB_NAME, repeat=40, child=child)
