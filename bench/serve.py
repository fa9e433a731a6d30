"""Benchmark against the framework floor (issue 7, item 2).

Builds a database with ``onestop gen_data`` at a scale (or reuses the one a
previous run left), serves the platform with gunicorn (N sync workers) and
measures, with a small asyncio HTTP load generator in this process, one
endpoint after the other for a fixed time at a fixed concurrency:

  floor      a bare Django view behind the same middleware stack
             (onestop.datagen.floor, mounted only with ONESTOP_BENCH_FLOOR=1)
  home, search (ten Chinese queries in turn), an institution page, an
  offering page, the staff order queue (a service-center user with a
  two-factor session), a user's order list, the statistics page, and the
  order-submit API (POST /api/v1/orders/, a real-name-verified user).

It prints a table: requests/s, p50/p95/p99 (ms), the ratio of requests/s to
the floor's, SQL queries per request (measured separately in-process with
CaptureQueriesContext, same settings and database), non-2xx responses, and
the RSS of each gunicorn worker (psutil) after the run.

Usage:
  .venv/bin/python bench/serve.py --db postgresql --scale l [--reuse] [--workers 4]
  .venv/bin/python bench/serve.py --db sqlite --scale m
Options: --seconds 15 (per endpoint) --concurrency 16 --port 8931 --markdown FILE
PostgreSQL from BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/), database
``onestop_bench_serve_<scale>`` (dropped and made again unless --reuse); SQLite in
var/bench-serve-<scale>.sqlite3. Redis from BENCH_REDIS_URL (default db 11).

PostgreSQL is served with the production settings (environment below); the
production settings refuse SQLite, so the SQLite run is served with the
embedded profile (the one that ships for SQLite) with DEBUG off.
Not a test: it prints figures for docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
QUERIES = [
    "压力表校准", "电子天平检定", "农药残留检测", "电梯定期检验", "商标注册",
    "质量管理体系认证", "CMA 资质认定", "标准化良好行为", "能源计量审查", "检测",
]  # fmt: skip
FIELD_KEY = "pmfbFKo6hWDRBw0XzE9-ROLwfIIDzgzLK9aGAWNgMXk="


def environment(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",  # noqa: S106
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"),
        ONESTOP_FIELD_KEYS=FIELD_KEY,
        ONESTOP_INDEX_KEY="bench-index-key",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        ONESTOP_BENCH_FLOOR="1",
        DEBUG="false",
        PYTHONPATH=str(ROOT / "src"),
        STATIC_ROOT=str(ROOT / "var" / "bench-static"),
    )
    if args.db == "postgresql":
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
        env["DATABASE_URL"] = f"{base.rstrip('/')}/onestop_bench_serve_{args.scale}"
        env["DJANGO_SETTINGS_MODULE"] = "onestop.config.settings.production"
    else:
        (ROOT / "var").mkdir(exist_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'bench-serve-{args.scale}.sqlite3'}"
        env["DJANGO_SETTINGS_MODULE"] = "onestop.config.settings.embedded"
    return env


def run(cmd: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def build(args: argparse.Namespace, env: dict[str, str]) -> float:
    """A fresh database at the scale; returns the seconds gen_data took."""
    if args.db == "postgresql":
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
        admin = f"{base.rstrip('/')}/postgres"
        name = f"onestop_bench_serve_{args.scale}"
        run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name}"], env)
        run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], env)
    else:
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    gen_env = dict(env, DJANGO_SETTINGS_MODULE="onestop.config.settings.test")
    run([str(BIN / "onestop"), "migrate", "-v0"], gen_env)
    started = time.perf_counter()
    run([str(BIN / "onestop"), "gen_data", "--scale", args.scale], gen_env)
    seconds = time.perf_counter() - started
    if args.db == "postgresql":
        run(["psql", env["DATABASE_URL"], "-qc", "VACUUM ANALYZE"], env)
    return seconds


# --- in-process part: sessions and query counts (python bench/serve.py _prepare) -------------


def prepare() -> dict[str, Any]:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from onestop.accounts.models import Role, RoleAssignment, User
    from onestop.core.crypto import blind_index
    from onestop.institutions.models import Institution, Offering
    from onestop.orders.models import Order
    from onestop.verification.models import Identity

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")

    def session(user: User, *, otp: bool = False) -> str:
        s = store()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "onestop.accounts.backends.UsernameOrMobileBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        if otp:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
            s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        s.create()
        return str(s.session_key)

    # The user with most orders; the center staff of the city with most orders.
    top = Order.objects.values("user").annotate(n=Count("id")).order_by("-n").first()
    customer = User.objects.get(pk=top["user"]) if top else User.objects.first()
    assert customer is not None
    if not Identity.objects.filter(user=customer).exists():
        number = f"45020219900101{customer.pk % 10000:04d}"
        Identity.objects.create(
            user=customer,
            real_name="基准用户",
            id_number=number,
            id_index=blind_index(number, purpose="id_number"),
            verified_at=timezone.now(),
        )
    busiest = Order.objects.values("region__path").annotate(n=Count("id")).order_by("-n").first()
    centers = RoleAssignment.objects.filter(role=Role.CENTER_STAFF, revoked_at__isnull=True)
    staff_role = next(
        (a for a in centers.select_related("region", "user")
         if busiest and a.region and busiest["region__path"].startswith(a.region.path)),
        centers.select_related("user").first(),
    )  # fmt: skip
    assert staff_role is not None
    staff = staff_role.user
    institutions = list(
        Institution.objects.filter(status="active").order_by("-rating_count")
        .values_list("pk", flat=True)[:20]
    )  # fmt: skip
    offerings = list(
        Offering.objects.filter(status="published", institution__status="active")
        .order_by("pk").values_list("pk", flat=True)[:20]
    )  # fmt: skip
    user_cookie = session(customer)
    staff_cookie = session(staff, otp=True)
    targets = [
        {"name": "floor", "paths": ["/bench/floor/"]},
        {"name": "home", "paths": ["/"]},
        {"name": "search", "paths": [f"/search/?q={quote(q)}" for q in QUERIES]},
        {
            "name": "search, uncached",
            "paths": [f"/search/?q={quote(q)}" for q in QUERIES],
            "unique": True,
        },
        {"name": "institution page", "paths": [f"/institutions/{pk}/" for pk in institutions]},
        {
            "name": "offering page",
            "paths": [f"/institutions/offerings/{pk}/" for pk in offerings],
        },
        {
            "name": "floor, signed in",
            "paths": ["/bench/floor/signed-in/"],
            "cookie": staff_cookie,
        },
        {"name": "staff order queue", "paths": ["/orders/manage/"], "cookie": staff_cookie},
        {"name": "my orders", "paths": ["/orders/mine/"], "cookie": user_cookie},
        {"name": "statistics", "paths": ["/statistics/"], "cookie": staff_cookie},
        {
            "name": "order submit API",
            "paths": ["/api/v1/orders/"],
            "cookie": user_cookie,
            "post": {"offering_id": offerings[0], "contact_name": "基准联系人"},
        },
    ]
    # Queries per request, in-process, the same way the server answers.
    for target in targets:
        client = Client()
        if target.get("cookie"):
            client.cookies[settings.SESSION_COOKIE_NAME] = target["cookie"]
        counts = []
        for i, path in enumerate(target["paths"][:3]):
            if target.get("unique"):
                path += f"&nocache={time.time_ns()}"
            with CaptureQueriesContext(connection) as queries:
                if "post" in target:
                    body = dict(target["post"], description=f"基准下单 {time.time()} {i}")
                    response = client.post(path, body, content_type="application/json")
                else:
                    response = client.get(path)
            counts.append(len(queries))
            target.setdefault("status", response.status_code)
        target["queries"] = max(counts)
    return {"targets": targets, "session_cookie": settings.SESSION_COOKIE_NAME}


def table(rows: list[dict[str, Any]], rss: list[float], header: str) -> str:
    floor = rows[0]["rps"] or 1
    lines = [
        header,
        "",
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | × floor | alone p50 ms | alone p95 ms "
        "| queries | non-2xx |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['p99']:.1f} | {row['rps'] / floor:.2f} | {row['alone_p50']:.1f} | "
            f"{row['alone_p95']:.1f} | {row['queries']} | {row['errors']}/{row['n']} |"
        )
    lines += ["", f"RSS per worker after the run (MB): {', '.join(f'{r:.0f}' for r in rss)}"]
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["_prepare"]:
        print(json.dumps(prepare(), ensure_ascii=False))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--scale", choices=["xs", "s", "m", "l"], default="s")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--latency-seconds", type=float, default=5, help="then one client alone, per endpoint"
    )
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()
    import psutil
    from loadgen import measure, wait_ready

    env = environment(args)
    built = None if args.reuse else build(args, env)
    run([str(BIN / "onestop"), "collectstatic", "--noinput", "-v0"], env)
    world = json.loads(
        run([str(BIN / "python"), __file__, "_prepare"], env, stdout=subprocess.PIPE).stdout
    )
    log = open(ROOT / "var" / "bench-serve.log", "ab")  # noqa: SIM115
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "onestop.config.wsgi:application", "--workers",
         str(args.workers), "--bind", f"127.0.0.1:{args.port}", "--access-logfile", "/dev/null"],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    rows = []
    try:
        wait_ready(args.port)
        for target in world["targets"]:
            # A short warm-up (caches, connections), then the measured run.
            asyncio.run(measure(args.port, target, world["session_cookie"], 1.5, 4))
            result = asyncio.run(
                measure(args.port, target, world["session_cookie"], args.seconds, args.concurrency)
            )
            # Then one client alone: the time a request takes when it does not
            # queue behind others (the latency targets), same endpoint and paths.
            alone = asyncio.run(
                measure(args.port, target, world["session_cookie"], args.latency_seconds, 1)
            )
            result["alone_p50"], result["alone_p95"] = alone["p50"], alone["p95"]
            rows.append({"name": target["name"], "queries": target["queries"], **result})
            print(
                f"{target['name']:<20} {result['rps']:7.0f} req/s  p95 {result['p95']:7.1f} ms"
                f"  statuses {result['statuses']}",
                file=sys.stderr,
            )
        workers = psutil.Process(server.pid).children()
        rss = [w.memory_info().rss / 2**20 for w in workers]
    finally:
        server.terminate()
        server.wait(timeout=30)
    header = (
        f"### {args.db}, scale {args.scale}, gunicorn {args.workers} sync workers, "
        f"{args.concurrency} concurrent connections, {args.seconds:.0f} s per endpoint"
        + (f" (gen_data took {built:.0f} s)" if built else "")
    )
    text = table(rows, rss, header)
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
