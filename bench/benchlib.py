"""What the PostgreSQL benchmarks orders.py and statistics_scale.py share.

Each runs twice: ``main`` (re)creates the benchmark's database and starts the
script again with ``--child`` and DATABASE_URL pointing at it, so that Django
is set up once, on that database, in a process of its own. The child measures
calls with ``timed`` and pages through the test Client with ``logged_in``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def main(
    *,
    script: str,
    doc: str,
    db_name: str,
    repeat: int,
    child: Callable[[int, int, bool], None],
) -> None:
    """The command line every such benchmark has: --orders, --repeat, --reuse."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.orders, args.repeat, args.reuse)
        return
    base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/")
    if not args.reuse:
        subprocess.run(
            ["psql", base + "postgres", "-qc", f"DROP DATABASE IF EXISTS {db_name}"], check=True
        )
        subprocess.run(["psql", base + "postgres", "-qc", f"CREATE DATABASE {db_name}"], check=True)
    env = {**os.environ, "DATABASE_URL": base + db_name}
    env.pop("REDIS_URL", None)
    subprocess.run(
        [
            sys.executable,
            script,
            "--child",
            f"--orders={args.orders}",
            f"--repeat={args.repeat}",
            *(["--reuse"] if args.reuse else []),
        ],
        env=env,
        check=True,
    )


def django_setup() -> None:
    """Django with the test settings on the child's DATABASE_URL; the figures
    are the output, so no per-request log lines (logins, axes)."""
    import logging

    import django

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onestop.config.settings.test")
    django.setup()
    logging.disable(logging.INFO)


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 of the measured times."""
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float, int]:
    """p50 and p95 in ms of ``repeat`` calls after a warm-up one, and the SQL
    queries of the last call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
        queries = len(captured)
    p50, p95 = percentiles(times)
    return p50, p95, queries


def logged_in(user: Any, *, staff: bool) -> Client:
    """A test Client logged in as ``user``, past the staff's second factor."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    if staff:
        device, _made = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def page(client: Client, url: str) -> Callable[[], object]:
    """A call that gets ``url`` and insists on a 200."""

    def get() -> object:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def print_header(title: str, width: int) -> None:
    print(f"\n{title:<{width}}{'p50 ms':>8}{'p95 ms':>8}{'queries':>9}")


def print_row(label: str, width: int, figures: tuple[float, float, int]) -> None:
    p50, p95, queries = figures
    print(f"{label:<{width}}{p50:>8.1f}{p95:>8.1f}{queries:>9}")
