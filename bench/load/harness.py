"""The load and fault harness (issue 7 items 3 and 4), used by run.py and by
the short CI version in tests/load.

Everything runs on this machine and talks only to 127.0.0.1:

* a throwaway PostgreSQL cluster (pg_cluster.py), never the machine's shared
  cluster, so that the fault test may stop and restart it;
* the platform under the production settings, served by gunicorn, and a real
  Celery worker (``onestop worker``) on Redis (served_platform.py);
* an SMS relay (sms_relay.py) that the platform's HttpSmsGateway posts to:
  it answers slowly, so that a worker can be killed while it sends, and it
  drops a repeated Idempotency-Key as an operator's relay does;
* locust, headless, with locustfile.py; the faults (faults.py) are injected
  while it runs.

Afterwards reconcile.py compares what the load generator was told with what
the database holds and what the relay delivered.

The sibling modules are imported here, at the top: the CI test puts this
directory on sys.path only while it imports this module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faults as fault_injection
from pg_cluster import ThrowawayCluster
from served_platform import VENV_BIN, Platform
from sms_relay import SmsRelay

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@dataclass
class Settings:
    users: int = 20
    spawn_rate: float = 10.0
    duration: int = 30
    web_workers: int = 2
    web_threads: int = 4
    celery_concurrency: int = 2
    redis_url: str = "redis://127.0.0.1:6379/10"
    sms_delay: float = 1.0
    pg_restart_at: float | None = None  # seconds into the load
    pg_down_for: float = 3.0
    kill_worker_at: float | None = None
    drain_timeout: float = 120.0
    keep: bool = False
    light: bool = False  # without the full demo (the CI version)
    # A migrated database to copy the schema from instead of migrating (the CI
    # version passes the test database): pg_dump of its schema and of
    # django_migrations, then `migrate` has nothing left to do.
    schema_from: str | None = None
    invitations: int = 300


@dataclass
class Outcome:
    workdir: Path
    reconciliation: dict[str, Any]
    faults: list[dict[str, Any]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def run(settings: Settings, workdir: Path | None = None) -> Outcome:
    base = workdir or Path(tempfile.mkdtemp(prefix="onestop-load-"))
    base.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    started = time.monotonic()
    cluster = ThrowawayCluster(base)
    relay = SmsRelay(settings.sms_delay)
    platform: Platform | None = None
    try:
        cluster.init()
        timings["cluster"] = time.monotonic() - started
        relay.start()
        env = _platform_env(base, cluster, relay, settings.redis_url)
        _flush_redis(settings.redis_url)
        platform = Platform(base, env, settings)
        # Static files (the CJK fonts take a minute to compress) are collected
        # while the database is migrated and filled.
        collectstatic = [str(VENV_BIN / "onestop"), "collectstatic", "--noinput", "-v0"]
        static = _spawn(base, collectstatic, env, "collectstatic.log")
        _migrate(base, settings, cluster, platform)
        timings["prepare"] = time.monotonic() - started
        fixtures = _write_fixtures(base, settings, env)
        if static.wait(timeout=600) != 0:
            raise RuntimeError(f"collectstatic failed: see {base / 'collectstatic.log'}")
        platform.start()
        timings["ready"] = time.monotonic() - started
        locust = _start_locust(base, settings, platform, env, fixtures)
        load_started = time.time()
        faults = fault_injection.inject(
            settings, cluster=cluster, platform=platform, relay=relay, load_started=load_started
        )
        locust.wait(timeout=settings.duration + 120)
        timings["load"] = time.time() - load_started
        platform.wait_for_deliveries(settings.drain_timeout)
        timings["drained"] = time.monotonic() - started
        reconciliation = _reconcile(base, platform, relay, faults)
        timings["total"] = time.monotonic() - started
        return Outcome(workdir=base, reconciliation=reconciliation, faults=faults, timings=timings)
    finally:
        if platform is not None:
            platform.stop()
        relay.stop()
        cluster.destroy()
        if not settings.keep:
            shutil.rmtree(base / "pg", ignore_errors=True)
            shutil.rmtree(base / "data", ignore_errors=True)


def _platform_env(
    base: Path, cluster: ThrowawayCluster, relay: SmsRelay, redis_url: str
) -> dict[str, str]:
    """The production settings pointed at the throwaway services: this
    process's environment without pytest's and Django's variables."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "onestop.config.settings.production",
        "DATABASE_URL": cluster.url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": "load-test-secret-key-not-for-production-0123456789",
        "ONESTOP_FIELD_KEYS": "bG9hZC10ZXN0LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI=",
        "ONESTOP_INDEX_KEY": "load-test-index-key",
        "ONESTOP_DATA_DIR": str(base / "data"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ONESTOP_SMS_GATEWAY": "onestop.notifications.sms.HttpSmsGateway",
        "ONESTOP_SMS_HTTP_URL": relay.url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(ROOT / "src"),
    }


def _spawn(
    base: Path, command: list[str], env: dict[str, str], log: str
) -> subprocess.Popen[bytes]:
    # The child keeps its own copy of the log's descriptor.
    with open(base / log, "ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _migrate(base: Path, settings: Settings, cluster: ThrowawayCluster, platform: Platform) -> None:
    """The schema (copied when the settings name a migrated database), and
    the demo data unless the run is light."""
    if settings.schema_from:
        try:
            cluster.copy_schema(settings.schema_from)
        except subprocess.CalledProcessError as error:  # migrate does it all then
            (base / "copy_schema.log").write_bytes(error.stderr or b"")
    platform.manage("migrate", "-v0")
    if not settings.light:
        platform.manage("demo", "--if-empty")


def _write_fixtures(base: Path, settings: Settings, env: dict[str, str]) -> Path:
    """The load users, their sessions and invitations (fixtures.py)."""
    fixtures = base / "world.json"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "fixtures.py"),
            str(fixtures),
            "--users",
            str(max(settings.users * 3, 30)),
            "--invitations",
            str(settings.invitations),
            *(["--light"] if settings.light else []),
        ],
        env=env,
        check=True,
        timeout=300,
    )
    return fixtures


def _start_locust(
    base: Path, settings: Settings, platform: Platform, env: dict[str, str], fixtures: Path
) -> subprocess.Popen[bytes]:
    load_env = {**env, "LOAD_FIXTURES": str(fixtures), "LOAD_RESULTS": str(base / "results.jsonl")}
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "-u",
        str(settings.users),
        "-r",
        str(settings.spawn_rate),
        "-t",
        f"{settings.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        platform.url,
        "--only-summary",
        "--csv",
        str(base / "locust"),
    ]
    return _spawn(base, command, load_env, "locust.log")


def _reconcile(
    base: Path, platform: Platform, relay: SmsRelay, faults: list[dict[str, Any]]
) -> dict[str, Any]:
    """Write what the relay and the faults saw, then run reconcile.py inside
    Django (``onestop shell``) on the run's directory."""
    (base / "relay.json").write_text(json.dumps(relay.snapshot(), ensure_ascii=False))
    (base / "faults.json").write_text(json.dumps(faults))
    code = (
        f"import runpy, sys; sys.argv=['reconcile', {str(base)!r}]; "
        f"runpy.run_path({str(HERE / 'reconcile.py')!r}, run_name='__main__')"
    )
    report = platform.manage("shell", "-c", code)
    last = report.strip().splitlines()[-1]
    (base / "reconciliation.json").write_text(last)
    return dict(json.loads(last))
