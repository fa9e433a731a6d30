"""The production path: the broker check against Redis, and a real worker's
heartbeat on record (WX 4.1.2 c)."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from onestop.config.celery import app
from onestop.monitoring import checks
from onestop.monitoring.checks import State
from onestop.monitoring.models import JobOutcome, JobRun
from onestop.monitoring.tasks import HEARTBEAT, heartbeat

pytestmark = [pytest.mark.production, pytest.mark.clause("WX 4.1.2c")]


@pytest.fixture
def real_worker(settings, transactional_db):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the production pass needs REDIS_URL"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.task_always_eager = True


def test_a_worker_on_redis_leaves_its_heartbeat_and_the_broker_answers(real_worker):
    assert checks.check_broker()[0] == State.OK
    assert checks.check_worker()[0] == State.WARNING

    heartbeat.delay()
    for _ in range(100):
        run = JobRun.objects.filter(task=HEARTBEAT, outcome=JobOutcome.OK).first()
        if run is not None:
            break
        time.sleep(0.1)
    assert run is not None
    assert checks.check_worker()[0] == State.OK
