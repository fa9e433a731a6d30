"""At-risk and breach notices for working-day clocks: to the right people, once."""

from __future__ import annotations

import datetime as dt
import threading
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from onestop.core import scheduler, services
from onestop.core.models import SlaClock
from onestop.core.sla_watch import register_responsible, sla_clocks_check
from onestop.notifications.models import Notification

SH = ZoneInfo("Asia/Shanghai")
KIND = "test_obligation"


def sh(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=SH)


@pytest.fixture
def world(regions, make_user):
    worker = make_user("station_staff", "320281", kind="staff")
    supervisor = make_user("center_staff", "320200", kind="staff")
    elsewhere = make_user("center_staff", "450200", kind="staff")
    register_responsible(KIND, lambda subject: [worker])
    region = regions["320281"]
    # Thu 2026-11-19 10:00 + 1 working day: due Fri 24:00, at risk Fri 05:00.
    clock = services.sla_clock_start(
        subject=region, kind=KIND, working_days=1, started_at=sh(2026, 11, 19, 10), region=region
    )
    return clock, worker, supervisor, elsewhere


def inbox(user) -> list[str]:
    notices = Notification.objects.filter(recipient=user).order_by("id")
    return list(notices.values_list("kind", flat=True))


@pytest.mark.django_db
@pytest.mark.clause("WX 7.2.2.2.1")
def test_notices_go_to_the_responsible_and_the_supervisors_once(world):
    _clock, worker, supervisor, elsewhere = world
    assert sla_clocks_check(now=sh(2026, 11, 20, 4, 59)).at_risk == 0

    first = sla_clocks_check(now=sh(2026, 11, 20, 6))
    again = sla_clocks_check(now=sh(2026, 11, 20, 7))
    assert (first.at_risk, again.at_risk) == (1, 0)
    assert inbox(worker) == ["sla.at_risk"]
    assert inbox(supervisor) == ["sla.at_risk"]
    assert inbox(elsewhere) == []
    title = Notification.objects.filter(recipient=worker).get().title
    assert KIND in title or "—" in title  # names the clock that fired

    breached = sla_clocks_check(now=sh(2026, 11, 21, 0, 1))
    assert breached.breached == 1
    assert sla_clocks_check(now=sh(2026, 11, 23)).breached == 0
    assert inbox(worker) == ["sla.at_risk", "sla.breached"]


@pytest.mark.django_db
def test_a_clock_found_late_gets_one_breach_notice_not_two(world):
    clock, worker, _supervisor, _elsewhere = world
    result = sla_clocks_check(now=sh(2026, 11, 25))
    assert (result.at_risk, result.breached) == (0, 1)
    assert inbox(worker) == ["sla.breached"]
    clock.refresh_from_db()
    assert clock.at_risk_notified_at is not None


@pytest.mark.django_db
def test_stopped_and_paused_clocks_are_left_alone(world):
    clock, worker, _supervisor, _elsewhere = world
    services.sla_clock_pause(clock=clock, at=sh(2026, 11, 19, 11))
    assert sla_clocks_check(now=sh(2026, 11, 25)) == sla_clocks_check(now=sh(2026, 11, 26))
    assert inbox(worker) == []
    services.sla_clock_stop(clock=SlaClock.objects.get(pk=clock.pk), at=sh(2026, 11, 26))
    assert sla_clocks_check(now=sh(2026, 11, 27)).breached == 0


@pytest.mark.django_db
def test_the_in_process_scheduler_runs_the_clock_check(world, time_machine):
    _clock, worker, _s, _e = world
    time_machine.move_to(sh(2026, 11, 20, 6), tick=False)
    last_run: dict[str, float] = {}
    ran = scheduler.run_due(last_run, 1_000_000.0)
    assert "onestop.core.sla_check" in ran
    assert inbox(worker) == ["sla.at_risk"]
    # Not again before its interval has passed.
    assert "onestop.core.sla_check" not in scheduler.run_due(last_run, 1_000_001.0)


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_two_checks_at_once_send_each_notice_once(world):
    _clock, worker, _s, _e = world
    barrier = threading.Barrier(2)
    results = []

    def check() -> None:
        try:
            barrier.wait()
            results.append(sla_clocks_check(now=sh(2026, 11, 20, 6)).at_risk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert inbox(worker) == ["sla.at_risk"]


@pytest.mark.production
def test_a_celery_worker_on_redis_runs_the_clock_check(settings, transactional_db, world):
    """The production path: the beat task is executed by a real worker on Redis."""
    from celery.contrib.testing.worker import start_worker

    from onestop.config.celery import app

    _clock, worker, _s, _e = world
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    assert app.conf.broker_url.startswith("redis://"), "the production pass needs REDIS_URL"
    app.loader.import_default_modules()
    try:
        with (
            start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
            time_machine.travel(sh(2026, 11, 20, 6), tick=True),
        ):
            app.tasks["onestop.core.sla_check"].delay()
            for _ in range(100):
                if inbox(worker):
                    break
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert inbox(worker) == ["sla.at_risk"]
