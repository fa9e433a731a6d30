"""Every periodic job names a task that exists (a typo would silently never run)."""

from __future__ import annotations

from onestop.config.celery import app
from onestop.core.schedule import JOBS, beat_schedule


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    assert [job.task for job in JOBS if job.task not in app.tasks] == []
    assert set(beat_schedule()) == {job.task for job in JOBS}


def test_idempotency_keys_are_purged_every_hour():
    # the API answers a key for 24 hours; an hourly purge keeps them at most 25
    jobs = {job.task: job.every_seconds for job in JOBS}
    assert jobs["onestop.core.idempotency_keys_purge"] == 60 * 60


def test_a_heartbeat_runs_every_minute():
    # the status page calls a worker gone after five minutes without one (WX 4.1.2 c)
    jobs = {job.task: job.every_seconds for job in JOBS}
    assert jobs["onestop.monitoring.heartbeat"] == 60
