"""Periodic jobs record their last run through Celery's signals, as the
embedded scheduler and a worker run them (WX 4.1.2 c)."""

from __future__ import annotations

import pytest

from onestop.config.celery import app
from onestop.core import scheduler
from onestop.monitoring import jobs
from onestop.monitoring.models import JobOutcome, JobRun
from onestop.monitoring.tasks import HEARTBEAT

pytestmark = [pytest.mark.django_db, pytest.mark.clause("WX 4.1.2c")]

BROKEN = "onestop.monitoring.tests.broken_job"


@app.task(name=BROKEN)
def broken_job() -> None:
    raise RuntimeError("the job broke")


def test_the_in_process_scheduler_records_the_heartbeat(monkeypatch):
    # given only the heartbeat is scheduled
    monkeypatch.setattr(scheduler, "JOBS", tuple(j for j in scheduler.JOBS if j.task == HEARTBEAT))
    # when the embedded scheduler runs what is due
    assert scheduler.run_due({}, now=10_000.0) == [HEARTBEAT]
    # then its run is on record
    run = JobRun.objects.get(task=HEARTBEAT)
    assert run.outcome == JobOutcome.OK
    assert run.last_started_at <= run.last_finished_at == run.last_success_at


def test_a_failing_job_is_recorded_with_its_error_and_keeps_its_last_success(monkeypatch):
    monkeypatch.setattr(jobs, "SCHEDULED", jobs.SCHEDULED | {BROKEN})
    jobs.job_run_record(task=BROKEN, outcome=JobOutcome.OK, last_success_at=None)
    broken_job.apply()
    run = JobRun.objects.get(task=BROKEN)
    assert run.outcome == JobOutcome.FAILED
    assert "the job broke" in run.error
    assert run.last_success_at is None


def test_tasks_that_are_not_scheduled_are_not_recorded():
    broken_job.apply()
    assert not JobRun.objects.filter(task=BROKEN).exists()
