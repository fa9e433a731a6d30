"""Load with faults, the short CI version (issue 7 items 3 and 4).

One run of bench/load/harness.py: 20 simulated users for 30 s against the
platform served by gunicorn with the production settings, a throwaway
PostgreSQL cluster and a real Celery worker on Redis (db 10); 10 s in,
PostgreSQL is stopped and started again; 20 s in, the Celery pool process
that is sending an SMS is killed (SIGKILL). The tests below check the
reconciliation of that run. The long version (200 users, 5 minutes) is
bench/load/run.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load"
REDIS_DB = 10  # this test's own Redis database: the harness empties it

pytestmark = [
    pytest.mark.production,
    # Only so that pytest-django creates the migrated test database whose
    # schema the throwaway cluster copies; the tests read the run's result.
    pytest.mark.django_db(transaction=True),
    pytest.mark.clause("WX 4.1.3"),
]


def _redis_url() -> str:
    parts = urlsplit(os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    return urlunsplit((parts.scheme, parts.netloc, f"/{REDIS_DB}", "", ""))


def _migrated_database() -> str | None:
    """The test database pytest-django migrated (PostgreSQL pass): the
    throwaway cluster copies its schema instead of migrating for a minute."""
    from django.db import connection

    params = connection.settings_dict
    if params["ENGINE"] != "django.db.backends.postgresql":
        return None
    user = params["USER"] or "postgres"
    host = params["HOST"] or "127.0.0.1"
    port = params["PORT"] or 5432
    name = params["NAME"]
    if not name.startswith("test_"):
        name = connection.creation._get_test_db_name()
    return f"postgres://{user}@{host}:{port}/{name}"


@pytest.fixture(scope="module")
def run(django_db_setup, django_db_blocker) -> Any:
    sys.path.insert(0, str(BENCH))
    try:
        from harness import Settings
        from harness import run as load_run
    finally:
        sys.path.remove(str(BENCH))
    settings = Settings(
        users=20,
        spawn_rate=10,
        duration=30,
        light=True,
        invitations=60,
        redis_url=_redis_url(),
        pg_restart_at=10,
        pg_down_for=3,
        kill_worker_at=20,
        schema_from=_migrated_database(),
    )
    return load_run(settings)


@pytest.fixture(scope="module")
def result(run) -> dict[str, Any]:
    return run.reconciliation


@pytest.mark.clause("WX 4.1.2a")
def test_every_accepted_submission_is_stored_exactly_once_and_refused_ones_are_absent(result):
    # given a load run with demands, orders and evaluations, and an outage in it
    # then
    assert set(result["accepted"]) == {"order", "demand", "evaluation"}, result["accepted"]
    assert result["missing"] == []
    assert result["duplicated"] == []
    assert result["stored_but_refused"] == []
    assert result["stored_unknown"] == []


def test_no_server_error_but_the_503_of_the_outage(result):
    assert result["unexpected_5xx"] == 0, result["unexpected_5xx_sample"]
    assert result["outage_503"] > 0
    assert result["responses"] > 100


def test_the_outage_is_a_clear_503_page_and_json(result):
    # when the database was down, a page and an API call were made
    (restart,) = [f for f in result["faults"] if f["fault"] == "postgres restarted"]
    probes = {p["path"]: p for p in restart["probes"]}
    # then the page says so in Chinese, and the API answers JSON, both 503
    page = probes["/search/?q=计量"]
    assert page["status"] == 503
    assert page["content_type"].startswith("text/html")
    assert 'id="service-unavailable"' in page["body"]
    assert "Traceback" not in page["body"]
    api = probes["/api/v1/regions/"]
    assert api["status"] == 503
    assert api["content_type"] == "application/json"
    assert '"code": "service_unavailable"' in api["body"]
    assert api["retry_after"] == "30"


def test_no_record_is_half_written(result):
    assert result["half_written"] == []


def test_every_notification_is_delivered_exactly_once_after_a_worker_is_killed(result):
    # given the worker process sending an SMS was killed mid-send
    (kill,) = [f for f in result["faults"] if f["fault"] == "worker killed"]
    assert kill["pid"] is not None, kill
    # then nothing is left pending, and the relay passed each sent SMS on once
    assert result["deliveries"].get("pending", 0) == 0
    assert result["sms_sent"] > 0
    assert result["sms_sent_not_delivered"] == []
    assert result["sms_delivered_not_sent"] == []
    # the killed send was retried with the same key and not delivered twice
    assert result["sms_repeated_posts"].get(kill["delivery"], 0) >= 2
