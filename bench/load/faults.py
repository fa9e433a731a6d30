"""The faults a load run injects (issue 7 item 4): PostgreSQL stopped and
started again, and the Celery pool process that is sending an SMS killed.
What the platform answered during the outage is recorded with the fault."""

from __future__ import annotations

import contextlib
import os
import signal
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness import Settings
    from pg_cluster import ThrowawayCluster
    from served_platform import Platform
    from sms_relay import SmsRelay


def inject(
    settings: Settings,
    *,
    cluster: ThrowawayCluster,
    platform: Platform,
    relay: SmsRelay,
    load_started: float,
) -> list[dict[str, Any]]:
    """Each fault the settings ask for, at its time (seconds into the load)."""
    events: list[tuple[float, str]] = []
    if settings.pg_restart_at is not None:
        events.append((settings.pg_restart_at, "pg"))
    if settings.kill_worker_at is not None:
        events.append((settings.kill_worker_at, "worker"))
    faults = []
    for at, what in sorted(events):
        time.sleep(max(0.0, load_started + at - time.time()))
        if what == "pg":
            faults.append(restart_postgres(cluster, platform, settings.pg_down_for))
        else:
            faults.append(kill_worker_mid_task(platform, relay))
    return faults


def restart_postgres(
    cluster: ThrowawayCluster, platform: Platform, down_for: float
) -> dict[str, Any]:
    """Stop the cluster, probe the platform, start it again ``down_for`` s later."""
    down = time.time()
    cluster.stop()
    probes = probe_outage(platform)
    time.sleep(max(0.0, down_for - (time.time() - down)))
    cluster.start()
    return {"fault": "postgres restarted", "down_at": down, "up_at": time.time(), "probes": probes}


def kill_worker_mid_task(
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


def probe_outage(platform: Platform) -> list[dict[str, Any]]:
    """What a page and an API call answer while the database is down."""
    answers = []
    for path in ("/", "/api/v1/regions/", "/search/?q=计量"):
        url = f"http://127.0.0.1:{platform.port}{urllib.parse.quote(path, safe='/?=')}"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
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
