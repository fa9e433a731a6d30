"""The embedded profile's stand-in for Celery beat: one daemon thread per
web process runs the periodic jobs of onestop.core.schedule in-process.

Every job is safe to run twice at once (the SLA check claims each notice
with a conditional UPDATE; the others are idempotent), so several web
workers each running the scheduler do no harm.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections

from onestop.core.schedule import JOBS

logger = logging.getLogger(__name__)
_started = threading.Event()


def run_due(last_run: dict[str, float], now: float) -> list[str]:
    """Run the jobs whose interval has passed; returns their task names."""
    from onestop.config.celery import app

    app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    ran = []
    for job in JOBS:
        if now - last_run.get(job.task, 0.0) < job.every_seconds:
            continue
        last_run[job.task] = now
        try:
            app.tasks[job.task].apply().get(propagate=True)
            ran.append(job.task)
        except Exception:
            logger.exception("periodic job %s failed", job.task)
    return ran


def _loop(tick: float) -> None:
    last_run: dict[str, float] = {}
    # Let the server finish starting before the first round.
    time.sleep(tick)
    while True:
        try:
            run_due(last_run, time.monotonic())
        finally:
            # This thread's own connection: not kept open between rounds.
            close_old_connections()
        time.sleep(tick)


def start(tick: float = 60.0) -> bool:
    """Start the scheduler thread once per process; False if already running."""
    if _started.is_set():
        return False
    _started.set()
    threading.Thread(target=_loop, args=(tick,), name="onestop-scheduler", daemon=True).start()
    return True
