"""The load and fault harness (issue 7 items 3 and 4), used by run.py and by
the short CI version in tests/load.

Everything runs on this machine and talks only to 127.0.0.1:

* a throwaway PostgreSQL cluster (initdb + pg_ctl on a free port under a
  temporary directory, run as the ``postgres`` system user when started as
  root), never the machine's shared cluster, so that the fault test may stop
  and restart it;
* the platform under the production settings, served by gunicorn;
* a real Celery worker (``onestop worker``) on Redis;
* an SMS relay (``SmsRelay``) that the platform's HttpSmsGateway posts to:
  it answers slowly, so that a worker can be killed while it sends, and it
  drops a repeated Idempotency-Key as an operator's relay does;
* locust, headless, with locustfile.py.

Afterwards reconcile.py compares what the load generator was told with what
the database holds and what the relay delivered.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def _pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed")
    return path


class ThrowawayCluster:
    """A PostgreSQL cluster of our own that we may stop and start at will."""

    def __init__(self, base: Path) -> None:
        self.dir = base / "pg"
        self.port = free_port()
        self.log = base / "pg.log"
        self._as: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/onestop_load"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        self.log.touch()
        if self._as:
            shutil.chown(self.dir.parent, "postgres")
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.log, "postgres")
        self._run(
            _pg_bin("initdb"),
            "-D",
            str(self.dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        self.start()
        self._run(
            _pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "onestop_load",
        )

    def copy_schema(self, source_url: str) -> None:
        """The tables of a migrated database, and its record of migrations."""
        target = self.url
        for args in (["--schema-only"], ["--data-only", "--table=django_migrations"]):
            dump = subprocess.run(
                [_pg_bin("pg_dump"), "--no-owner", "--no-privileges", *args, source_url],
                check=True,
                capture_output=True,
                timeout=120,
            )
            subprocess.run(
                [_pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", target],
                input=dump.stdout,
                check=True,
                capture_output=True,
                timeout=120,
            )

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir} -c max_connections=200 -c fsync=off"
        self._run(
            _pg_bin("pg_ctl"),
            "-D",
            str(self.dir),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-m", "immediate", "-w", "stop")


class SmsRelay:
    """An operator's SMS relay on 127.0.0.1: slow, and idempotent by key.

    ``posts`` counts every request it got per key, ``delivered`` the messages
    it passed on (once per key), ``in_flight`` maps the client's port of each
    request still being answered (to find the worker process that sends it).
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.lock = threading.Lock()
        self.posts: Counter[str] = Counter()
        self.delivered: dict[str, dict[str, str]] = {}
        self.in_flight: dict[int, str] = {}
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                key = self.headers.get("Idempotency-Key", "") or f"nokey-{time.time_ns()}"
                port = self.client_address[1]
                with relay.lock:
                    relay.posts[key] += 1
                    relay.in_flight[port] = key
                    if key not in relay.delivered:
                        relay.delivered[key] = {
                            "mobile": body.get("mobile", ""),
                            "text": body.get("text", ""),
                        }
                try:
                    time.sleep(relay.delay)
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                finally:
                    with relay.lock:
                        relay.in_flight.pop(port, None)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {"posts": dict(self.posts), "delivered": dict(self.delivered)}


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


class Platform:
    """gunicorn and a Celery worker with the production settings."""

    def __init__(self, base: Path, env: dict[str, str], settings: Settings) -> None:
        self.base = base
        self.env = env
        self.settings = settings
        self.port = free_port()
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [str(VENV_BIN / "onestop"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"onestop {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def start(self) -> None:
        web_log = open(self.base / "gunicorn.log", "ab")  # noqa: SIM115
        self.web = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "onestop.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.settings.web_workers),
                "--threads",
                str(self.settings.web_threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--preload",
            ],
            env=self.env,
            stdout=web_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        worker_log = open(self.base / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [
                str(VENV_BIN / "onestop"),
                "worker",
                "--concurrency",
                str(self.settings.celery_concurrency),
            ],
            env=self.env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_port(self.port)
        self.warm_up()

    def warm_up(self) -> None:
        """A few requests so that every web worker has imported the views."""
        import urllib.request

        for _ in range(self.settings.web_workers * self.settings.web_threads):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=30).close()  # noqa: S310

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _kill_worker_mid_task(
    platform: Platform, relay: SmsRelay, timeout: float = 20.0
) -> dict[str, Any]:
    """SIGKILL the Celery pool process that is sending an SMS right now."""
    import psutil

    assert platform.worker is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with relay.lock:
            flying = dict(relay.in_flight)
        if flying:
            children = psutil.Process(platform.worker.pid).children(recursive=True)
            for child in children:
                with contextlib.suppress(psutil.Error):
                    for conn in child.net_connections(kind="tcp"):
                        if (
                            conn.raddr
                            and conn.raddr.port == relay.port
                            and conn.laddr.port in flying
                        ):
                            key = flying[conn.laddr.port]
                            os.kill(child.pid, signal.SIGKILL)
                            return {
                                "fault": "worker killed",
                                "pid": child.pid,
                                "delivery": key,
                                "at": time.time(),
                            }
        time.sleep(0.05)
    return {
        "fault": "worker killed",
        "pid": None,
        "delivery": None,
        "at": time.time(),
        "note": "no SMS in flight",
    }


def run(settings: Settings, workdir: Path | None = None) -> Outcome:
    base = workdir or Path(tempfile.mkdtemp(prefix="onestop-load-"))
    base.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    started = time.monotonic()
    cluster = ThrowawayCluster(base)
    relay = SmsRelay(settings.sms_delay)
    platform: Platform | None = None
    faults: list[dict[str, Any]] = []
    try:
        cluster.init()
        timings["cluster"] = time.monotonic() - started
        relay.start()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "onestop.config.settings.production",
            "DATABASE_URL": cluster.url,
            "REDIS_URL": settings.redis_url,
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
        _flush_redis(settings.redis_url)
        platform = Platform(base, env, settings)
        # Static files (the CJK fonts take a minute to compress) are collected
        # while the database is migrated and filled.
        static = subprocess.Popen(
            [str(VENV_BIN / "onestop"), "collectstatic", "--noinput", "-v0"],
            env=env,
            stdout=open(base / "collectstatic.log", "ab"),
            stderr=subprocess.STDOUT,  # noqa: SIM115
        )
        if settings.schema_from:
            try:
                cluster.copy_schema(settings.schema_from)
            except subprocess.CalledProcessError as error:  # migrate does it all then
                (base / "copy_schema.log").write_bytes(error.stderr or b"")
        platform.manage("migrate", "-v0")
        if not settings.light:
            platform.manage("demo", "--if-empty")
        timings["prepare"] = time.monotonic() - started
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
        if static.wait(timeout=600) != 0:
            raise RuntimeError(f"collectstatic failed: see {base / 'collectstatic.log'}")
        platform.start()
        timings["ready"] = time.monotonic() - started
        results = base / "results.jsonl"
        load_env = {**env, "LOAD_FIXTURES": str(fixtures), "LOAD_RESULTS": str(results)}
        locust = subprocess.Popen(
            [
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
                f"http://127.0.0.1:{platform.port}",
                "--only-summary",
                "--csv",
                str(base / "locust"),
            ],
            env=load_env,
            stdout=open(base / "locust.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        load_started = time.time()
        events: list[tuple[float, str]] = []
        if settings.pg_restart_at is not None:
            events.append((settings.pg_restart_at, "pg"))
        if settings.kill_worker_at is not None:
            events.append((settings.kill_worker_at, "worker"))
        for at, what in sorted(events):
            time.sleep(max(0.0, load_started + at - time.time()))
            if what == "pg":
                down = time.time()
                cluster.stop()
                probes = _probe_outage(platform)
                time.sleep(max(0.0, settings.pg_down_for - (time.time() - down)))
                cluster.start()
                faults.append(
                    {
                        "fault": "postgres restarted",
                        "down_at": down,
                        "up_at": time.time(),
                        "probes": probes,
                    }
                )
            else:
                faults.append(_kill_worker_mid_task(platform, relay))
        locust.wait(timeout=settings.duration + 120)
        timings["load"] = time.time() - load_started
        _wait_for_deliveries(platform, settings.drain_timeout)
        timings["drained"] = time.monotonic() - started
        (base / "relay.json").write_text(json.dumps(relay.snapshot(), ensure_ascii=False))
        (base / "faults.json").write_text(json.dumps(faults))
        report = platform.manage(
            "shell",
            "-c",
            f"import runpy, sys; sys.argv=['reconcile', {str(base)!r}]; runpy.run_path({str(HERE / 'reconcile.py')!r}, run_name='__main__')",
        )
        reconciliation = json.loads(report.strip().splitlines()[-1])
        (base / "reconciliation.json").write_text(report.strip().splitlines()[-1])
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


def _probe_outage(platform: Platform) -> list[dict[str, Any]]:
    """What a page and an API call answer while the database is down."""
    import urllib.error
    import urllib.parse
    import urllib.request

    answers = []
    for path in ("/", "/api/v1/regions/", "/search/?q=计量"):
        url = f"http://127.0.0.1:{platform.port}{urllib.parse.quote(path, safe='/?=')}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except OSError as error:
            status, headers, body = 0, {}, str(error).encode()
        answers.append(
            {
                "path": path,
                "status": status,
                "content_type": headers.get("Content-Type", ""),
                "retry_after": headers.get("Retry-After", ""),
                "body": body.decode("utf-8", "replace")[:2000],
            }
        )
    return answers


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def _wait_for_deliveries(platform: Platform, timeout: float) -> None:
    """Wait until no delivery is pending (the worker has caught up)."""
    deadline = time.monotonic() + timeout
    code = (
        "from onestop.notifications.models import Delivery;"
        "print(Delivery.objects.filter(status='pending').count())"
    )
    while time.monotonic() < deadline:
        try:
            pending = int(platform.manage("shell", "-c", code, timeout=60).strip().splitlines()[-1])
        except (RuntimeError, ValueError):
            pending = -1
        if pending == 0:
            return
        time.sleep(2)
