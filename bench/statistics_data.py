"""The data of the statistics benchmark (statistics_scale.py): a year of
orders and their acceptance clocks, evaluations, demands with their two
clocks, and complaints in the city of statistics_world.py, on PostgreSQL.

The rows are written with INSERT … SELECT over generate_series (one
statement per table). Deadlines are approximate (calendar days): only their
outcome matters here.
"""

from __future__ import annotations

import json
import random
import time

from statistics_world import (
    DAYS,
    N_COMPLAINTS,
    N_DEMANDS,
    N_STATIONS,
    N_USERS,
    World,
    build_world,
    insert_select,
)


def generate(orders: int) -> dict[str, float]:
    """The whole year; returns the rows written per table and the seconds."""
    from django.core.management import call_command
    from django.db import connection

    from onestop.catalog.services import catalog_load_bundled
    from onestop.evaluations.services import evaluations_load_forms
    from onestop.regions.services import regions_load_bundled

    call_command("migrate", verbosity=0)
    regions_load_bundled()
    catalog_load_bundled()
    evaluations_load_forms()
    started = time.perf_counter()
    world = build_world(random.Random(20261121))
    sizes: dict[str, float] = {}
    sizes.update(_orders(world, orders))
    sizes.update(_evaluations(world))
    sizes.update(_demands(world))
    sizes.update(_complaints(world))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    sizes["seconds"] = time.perf_counter() - started
    return sizes


def _orders(world: World, orders: int) -> dict[str, float]:
    """Order i placed i × (a year / N) ago; 70 % completed after 1–10 days,
    4 % declined, 8 % cancelled, the rest open; 5 % through a station."""
    from onestop.core.models import SlaClock
    from onestop.orders.models import Order, OrderEvent

    sizes: dict[str, float] = {}
    sizes["orders"] = insert_select(
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
        JOIN bench_offering o ON o.idx = (hashint4(t.i + 7) & 2147483647) % {world.offerings}
        """,  # noqa: S608 - our own constants, the values are parameters
        [world.now, world.now, orders, orders],
    )
    sizes["order events"] = insert_select(
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
    sizes["acceptance clocks"] = insert_select(
        SlaClock,
        {
            "subject_type_id": str(world.order_type),
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
    return sizes


# Eight answer patterns of the five-level form; the score is the pattern's mean.
ANSWER_KEYS = [
    "institution_flow", "institution_1", "institution_2", "institution_3", "institution_4",
    "institution_5",
]  # fmt: skip
ANSWER_PATTERNS = [
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


def _evaluations(world: World) -> dict[str, float]:
    """Evaluations of 300,000 completed orders (about 43 % of them at a
    million orders), each with one of the answer patterns."""
    from django.db import connection

    from onestop.evaluations.models import Evaluation, Invitation

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_answer (idx int, answers jsonb, score numeric, bad bool)"
        )
        cursor.executemany(
            "INSERT INTO bench_answer VALUES (%s, %s::jsonb, %s, %s)",
            [
                (i, json.dumps(dict(zip(ANSWER_KEYS, p[:6], strict=True))), p[6], p[7])
                for i, p in enumerate(ANSWER_PATTERNS)
            ],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_evaluated AS SELECT id, user_id, institution_id, region_id, "
            "completed_at FROM orders_order WHERE status = 'completed' "
            "ORDER BY hashint4(id::int) LIMIT 300000"
        )
    sizes: dict[str, float] = {}
    sizes["invitations"] = insert_select(
        Invitation,
        {
            "order_id": "e.id",
            "form_id": str(world.five_level_form),
            "created_at": "e.completed_at",
            "expires_at": "e.completed_at + interval '30 days'",
            "used_at": "e.completed_at",
        },
        "bench_evaluated e",
        [],
    )
    sizes["evaluations"] = insert_select(
        Evaluation,
        {
            "invitation_id": "i.id",
            "order_id": "e.id",
            "form_id": str(world.five_level_form),
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
    return sizes


def _demands(world: World) -> dict[str, float]:
    """Demands with their response and recommendation clocks."""
    from onestop.core.models import SlaClock
    from onestop.demands.models import Demand

    sizes: dict[str, float] = {}
    sizes["demands"] = insert_select(
        Demand,
        {
            "number": "'XQ' || lpad(g.i::text, 12, '0')",
            "requester_id": "u.user_id",
            "contact_name": "'联系人'",
            "contact_method": "'phone'",
            "category_id": str(world.category),
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
        f"""(SELECT i, %s::timestamptz - i * (interval '{DAYS} days' / {N_DEMANDS}) AS at
             FROM generate_series(1, {N_DEMANDS}) AS i) g
            JOIN bench_user u ON u.idx = (hashint4(g.i) & 2147483647) % {N_USERS}""",  # noqa: S608
        [world.now],
    )
    for kind, days in (("demand_response", 1), ("demand_recommendation", 3)):
        sizes[f"{kind} clocks"] = insert_select(
            SlaClock,
            {
                "subject_type_id": str(world.demand_type),
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
    return sizes


def _complaints(world: World) -> dict[str, float]:
    """A few thousand complaints about the institutions."""
    from onestop.complaints.models import Complaint

    count = insert_select(
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
                       - i * (interval '{DAYS - 10} days' / {N_COMPLAINTS}) AS at
             FROM generate_series(1, {N_COMPLAINTS}) AS i) g
            JOIN bench_user u ON u.idx = (hashint4(g.i) & 2147483647) % {N_USERS}
            JOIN bench_offering o ON o.idx = (hashint4(g.i + 7) & 2147483647) % {world.offerings}
        """,  # noqa: S608 - our own constants, the values are parameters
        [world.now],
    )
    return {"complaints": count}
