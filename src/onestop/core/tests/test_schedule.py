"""Every periodic job names a task that exists (a typo would silently never run)."""

from __future__ import annotations

from onestop.config.celery import app
from onestop.core.schedule import JOBS, beat_schedule


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    assert [job.task for job in JOBS if job.task not in app.tasks] == []
    assert set(beat_schedule()) == {job.task for job in JOBS}
