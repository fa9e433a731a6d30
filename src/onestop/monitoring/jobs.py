"""Recording each periodic job's last run, whoever runs it.

Celery sends ``task_prerun``/``task_postrun`` around every task, on a worker
and in the embedded profile's in-process scheduler alike (``Task.apply``), so
listening to them records the jobs of onestop.core.schedule without touching
each task. Only scheduled jobs are recorded: two small UPDATEs per run, no
row per run. A failure to record is logged and never fails the job.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import signals
from django.db import IntegrityError, transaction
from django.utils import timezone

from onestop.core.schedule import JOBS
from onestop.monitoring.models import JobOutcome, JobRun

logger = logging.getLogger(__name__)

SCHEDULED = frozenset(job.task for job in JOBS)


def job_run_record(*, task: str, **fields: Any) -> None:
    """Update the job's row, creating it on its first run."""
    if JobRun.objects.filter(task=task).update(**fields):
        return
    try:
        with transaction.atomic():
            JobRun.objects.create(task=task, **fields)
    except IntegrityError:  # created meanwhile by a concurrent run
        JobRun.objects.filter(task=task).update(**fields)


def _started(sender: Any = None, **_kwargs: Any) -> None:
    name = getattr(sender, "name", "")
    if name not in SCHEDULED:
        return
    try:
        job_run_record(task=name, last_started_at=timezone.now(), outcome=JobOutcome.RUNNING)
    except Exception:
        logger.exception("could not record the start of %s", name)


def _finished(sender: Any = None, state: str | None = None, retval: Any = None, **_: Any) -> None:
    name = getattr(sender, "name", "")
    if name not in SCHEDULED:
        return
    now = timezone.now()
    fields: dict[str, Any] = {"last_finished_at": now}
    if state == "SUCCESS":
        fields.update(outcome=JobOutcome.OK, last_success_at=now, error="")
    else:
        fields.update(outcome=JobOutcome.FAILED, error=f"{state}: {retval!r}"[:300])
    try:
        job_run_record(task=name, **fields)
    except Exception:
        logger.exception("could not record the end of %s", name)


def connect() -> None:
    signals.task_prerun.connect(_started, weak=False, dispatch_uid="onestop.monitoring.started")
    signals.task_postrun.connect(_finished, weak=False, dispatch_uid="onestop.monitoring.finished")
