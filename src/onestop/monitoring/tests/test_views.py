"""The status page, /healthz and the operating rules pages (WX 4.1.2 c, LZ 6.5.2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.monitoring import services
from onestop.monitoring.models import OperatingRules
from onestop.monitoring.rules_defaults import DEFAULTS

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


# --- the status page --------------------------------------------------------------


@pytest.mark.clause("WX 4.1.2c")
def test_administrators_see_every_check_with_a_state_in_words(client, otp_login, admin):
    otp_login(admin)
    response = client.get(reverse("monitoring:status"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    for key in ("database", "cache", "broker", "worker", "jobs", "deliveries", "disk", "version"):
        assert f'id="check-{key}"' in page
    # the state is written out, not only coloured
    assert 'data-state="ok"' in page
    assert "onestop.monitoring.heartbeat" in page


@pytest.mark.clause("WX 4.1.2c")
def test_a_failing_check_is_shown_on_the_page_not_a_500(client, otp_login, admin, settings):
    otp_login(admin)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }
    response = client.get(reverse("monitoring:status"))
    assert response.status_code == 200
    assert 'id="check-cache" data-state="error"' in response.content.decode()


def test_the_status_page_is_for_system_administrators_only(client, otp_login, staff):
    assert client.get(reverse("monitoring:status")).status_code == 302  # to the login
    otp_login(staff)
    assert client.get(reverse("monitoring:status")).status_code == 403
    assert client.get(reverse("monitoring:rules_edit")).status_code == 403


def test_the_status_page_takes_a_fixed_number_of_queries(
    client, otp_login, admin, staff, django_assert_num_queries
):
    otp_login(admin)

    def page_queries() -> None:
        # session, user, device, roles; jobs table; queue count and rows;
        # one per check (database, heartbeat, jobs, deliveries, deadlines,
        # audit); the region of the page's header
        with django_assert_num_queries(14):
            assert client.get(reverse("monitoring:status")).status_code == 200

    services.support_request_submit(requester=staff, subject="问题", description="详情")
    page_queries()
    for n in range(5):
        services.support_request_submit(requester=staff, subject=f"问题{n}", description="详情")
    page_queries()


# --- /healthz ---------------------------------------------------------------------


@pytest.mark.clause("WX 4.1.2c")
def test_healthz_says_ok_to_anyone_without_details(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.clause("WX 4.1.2c")
def test_healthz_is_503_and_names_the_failed_check_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "failed": ["cache"]}
    assert "127.0.0.1" not in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_healthz_is_not_rate_limited(client):
    assert {client.get("/healthz").status_code for _ in range(30)} == {200}


def test_healthz_takes_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/healthz")


# --- the operating rules ----------------------------------------------------------


@pytest.mark.clause("LZ 6.5.2")
def test_the_public_page_shows_the_three_sections_of_the_latest_version(client, admin):
    OperatingRules.objects.all().delete()
    empty = client.get(reverse("monitoring:rules"))
    assert empty.status_code == 200
    assert 'id="rules-published"' not in empty.content.decode()
    services.rules_seed_defaults()
    services.rules_publish(
        actor=admin,
        daily_work="每个工作日8:30开始受理。",
        post_responsibility=DEFAULTS["post_responsibility"],
        service_work=DEFAULTS["service_work"],
    )
    response = client.get(reverse("monitoring:rules"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "每个工作日8:30开始受理。" in page
    assert "7个工作日内调查核实" in page  # WX 7.4.3, from the first version
    assert 'id="rules-published"' in page


@pytest.mark.clause("LZ 6.5.2")
def test_a_migration_publishes_a_first_version_from_the_standards():
    first = OperatingRules.objects.order_by("id").first()
    assert first is not None
    assert first.editor is None
    assert "1个工作日内响应" in first.daily_work  # WX 7.2.2.2.1


@pytest.mark.clause("LZ 6.5.2")
def test_administrators_publish_a_new_version_and_keep_the_old_ones(client, otp_login, admin):
    otp_login(admin)
    before = OperatingRules.objects.count()
    page = client.get(reverse("monitoring:rules_edit")).content.decode()
    assert "7个工作日内" in page  # the form starts from the latest text
    response = client.post(
        reverse("monitoring:rules_edit"),
        {"daily_work": "新的日常工作制度", "post_responsibility": "岗位", "service_work": "服务"},
    )
    assert response.status_code == 302
    assert OperatingRules.objects.count() == before + 1
    latest = OperatingRules.objects.first()
    assert (latest.daily_work, latest.editor) == ("新的日常工作制度", admin)
    assert "新的日常工作制度" in client.get(reverse("monitoring:rules")).content.decode()


def test_a_version_needs_every_section(client, otp_login, admin):
    otp_login(admin)
    before = OperatingRules.objects.count()
    response = client.post(
        reverse("monitoring:rules_edit"),
        {"daily_work": "x", "post_responsibility": " ", "service_work": "y"},
    )
    assert response.status_code == 400
    assert OperatingRules.objects.count() == before
