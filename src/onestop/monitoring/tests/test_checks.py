"""Each running-status check, in its good and its failing state (WX 4.1.2 c)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from onestop.audit.models import AuditHead
from onestop.audit.services import audit_record
from onestop.core.models import SlaClock
from onestop.core.schedule import JOBS
from onestop.monitoring import checks
from onestop.monitoring.checks import State
from onestop.monitoring.jobs import job_run_record
from onestop.monitoring.models import JobOutcome
from onestop.monitoring.tasks import HEARTBEAT
from onestop.notifications.models import Delivery, Notification

pytestmark = [pytest.mark.django_db, pytest.mark.clause("WX 4.1.2c")]

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_database_answers_with_its_latency():
    state, message = checks.check_database()
    assert state == State.OK
    # The latency in milliseconds, in the page's language.
    assert re.search(r"\d+ 毫秒", str(message))


def test_cache_reads_and_writes():
    assert checks.check_cache()[0] == State.OK


def test_an_unreachable_cache_is_an_error_row_not_an_exception(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }
    result = checks.run_check("cache")
    assert result.state == State.ERROR
    assert "ConnectionError" in result.message


def test_the_embedded_profile_needs_no_broker():
    assert checks.check_broker()[0] == State.OK


def test_an_unreachable_broker_is_an_error(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = UNREACHABLE_REDIS
    assert checks.run_check("broker").state == State.ERROR


def test_worker_heartbeat_missing_recent_and_stale():
    # given no worker ever ran a job
    assert checks.check_worker()[0] == State.WARNING
    # when the heartbeat ran a minute ago
    now = timezone.now()
    job_run_record(task=HEARTBEAT, last_success_at=now - timedelta(minutes=1), outcome="ok")
    assert checks.check_worker(now)[0] == State.OK
    # then ten minutes without one mean no worker is running
    assert checks.check_worker(now + timedelta(minutes=10))[0] == State.ERROR


def test_periodic_jobs_on_time_late_never_run_and_failed():
    now = timezone.now()
    assert checks.check_jobs(now)[0] == State.WARNING  # none has run yet
    for job in JOBS:
        job_run_record(task=job.task, last_success_at=now, outcome=JobOutcome.OK)
    assert checks.check_jobs(now)[0] == State.OK

    state, message = checks.check_jobs(now + timedelta(hours=2))
    assert state == State.WARNING
    assert "onestop.core.sla_check" in message
    assert "onestop.search.rebuild_index" not in message  # daily: not late yet

    job_run_record(task="onestop.core.housekeeping", outcome=JobOutcome.FAILED, error="boom")
    state, message = checks.check_jobs(now)
    assert state == State.ERROR
    assert "onestop.core.housekeeping" in message


def _notice(recipient, minutes_ago: int) -> Delivery:
    notification = Notification.objects.create(recipient=recipient, kind="test", title="t")
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return Delivery.objects.create(notification=notification, channel="sms")


def test_deliveries_pending_for_more_than_fifteen_minutes_warn(staff):
    _notice(staff, minutes_ago=5)
    assert checks.check_deliveries()[0] == State.OK
    _notice(staff, minutes_ago=20)
    state, message = checks.check_deliveries()
    assert state == State.WARNING
    assert re.findall(r"\d+", message)[0] == "1"


def _clock(subject_id: str, *, due_in: timedelta, at_risk_in: timedelta) -> SlaClock:
    now = timezone.now()
    return SlaClock.objects.create(
        subject_type=ContentType.objects.get_for_model(SlaClock),
        subject_id=subject_id,
        kind="test",
        working_days=3,
        started_at=now - timedelta(days=1),
        due_at=now + due_in,
        at_risk_at=now + at_risk_in,
    )


def test_deadlines_count_at_risk_and_overdue_clocks():
    _clock("1", due_in=timedelta(days=1), at_risk_in=-timedelta(hours=1))
    state, message = checks.check_deadlines()
    assert state == State.OK
    assert sorted(re.findall(r"\d+", message)) == ["0", "1"]  # 1 at risk, 0 overdue
    _clock("2", due_in=-timedelta(hours=1), at_risk_in=-timedelta(days=1))
    assert checks.check_deadlines()[0] == State.WARNING


def test_audit_reports_the_chain_head(staff):
    audit_record(action="auth.login", actor=staff)
    state, message = checks.check_audit()
    assert state == State.OK
    assert str(AuditHead.objects.get(pk=1).seq) in re.findall(r"\d+", message)


def test_disk_space_thresholds(tmp_path):
    assert checks.check_disk(tmp_path, warning_free=0.0, error_free=0.0)[0] == State.OK
    assert checks.check_disk(tmp_path, warning_free=1.01, error_free=0.0)[0] == State.WARNING
    assert checks.check_disk(tmp_path, warning_free=1.01, error_free=1.01)[0] == State.ERROR
    # a data directory not created yet is measured on the disk it will be on
    assert checks.check_disk(tmp_path / "not" / "yet")[0] in set(State)


def test_version_and_uptime():
    state, message = checks.check_version()
    assert state == State.OK
    assert checks.version() in message


def test_a_check_that_raises_is_an_error_row():
    def broken() -> checks.Outcome:
        raise RuntimeError("secret host db.internal")

    result = checks.run_check("database", broken)
    assert result.state == State.ERROR
    assert "RuntimeError" in result.message
    assert "db.internal" not in result.message  # no internals on the page
