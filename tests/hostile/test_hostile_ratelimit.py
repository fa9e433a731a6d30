"""Rate limits (issue 7 item 7): the cache-based limiter, search, uploads, and
the login lockout and SMS code limits that already existed (verified here)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from onestop.core import ratelimit
from onestop.core.ratelimit import Rate, RateLimited, rate_hit
from onestop.documents.models import Document
from onestop.documents.services import document_store
from onestop.documents.tests.files import png_bytes, upload
from onestop.notifications.sms import MemorySmsGateway


@pytest.fixture
def limits(settings):
    """limits(search="3/m") -> switch the limiter on with these rates."""

    def set_limits(**rates):
        settings.ONESTOP_RATE_LIMITS = rates

    return set_limits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60/m", Rate(60, 60)),
        ("5/10m", Rate(5, 600)),
        ("1/s", Rate(1, 1)),
        ("100/d", Rate(100, 86400)),
    ],
)
def test_rates_are_read_from_text(text, expected):
    assert Rate.parse(text) == expected


@pytest.mark.parametrize("text", ["60", "x/m", "60/w", "60/xm", ""])
def test_a_malformed_rate_is_a_configuration_error(text):
    with pytest.raises(ValueError, match="bad rate"):
        Rate.parse(text)


def test_the_limit_holds_within_a_window_and_resets_after_it(limits):
    limits(search="3/m")
    start = 1_000_040.0  # 20 s into a minute window (1_000_020 is a multiple of 60)

    for _ in range(3):
        rate_hit("search", "10.0.0.1", now=start)
    with pytest.raises(RateLimited) as refused:
        rate_hit("search", "10.0.0.1", now=start + 1)
    rate_hit("search", "10.0.0.2", now=start + 1)  # another client has its own count
    rate_hit("search", "10.0.0.1", now=start + 40)  # the next window

    assert refused.value.status == 429
    assert refused.value.retry_after == 39
    with translation.override("en"):
        assert "39 seconds" in str(RateLimited(seconds=39).message)


def test_a_scope_switched_off_or_unknown_is_not_limited(limits):
    limits(search=None)

    for _ in range(200):
        rate_hit("search", "10.0.0.1")
        rate_hit("no-such-scope", "10.0.0.1")


def test_production_defaults_apply_outside_the_test_profile(settings):
    del settings.ONESTOP_RATE_LIMITS
    settings.ONESTOP_PROFILE = "production"

    assert ratelimit.rate_for("search") == Rate(60, 60)
    assert ratelimit.rate_for("upload") == Rate(10, 60)


def test_the_test_profile_has_no_limits_unless_a_test_asks(settings):
    del settings.ONESTOP_RATE_LIMITS

    assert ratelimit.rate_for("search") is None


def test_an_unreachable_cache_lets_the_request_through(limits, settings):
    limits(search="1/m")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }

    for _ in range(3):
        ratelimit.rate_hit("search", "10.0.0.1")


@pytest.mark.django_db
def test_the_search_page_answers_429_with_retry_after(limits, client):
    limits(search="2/m")

    first = client.get("/search/", {"q": "计量"}, REMOTE_ADDR="10.1.1.1")
    second = client.get("/search/", {"q": "检测"}, REMOTE_ADDR="10.1.1.1")
    third = client.get("/search/", {"q": "认证"}, REMOTE_ADDR="10.1.1.1")
    other = client.get("/search/", {"q": "认证"}, REMOTE_ADDR="10.1.1.2")

    assert [first.status_code, second.status_code, other.status_code] == [200, 200, 200]
    assert third.status_code == 429
    assert 1 <= int(third["Retry-After"]) <= 60
    assert third["Content-Type"].startswith("text/html")
    assert 'role="alert"' in third.content.decode()


@pytest.mark.django_db
def test_the_search_api_answers_429_as_json(limits, client):
    limits(search="1/m")

    assert client.get("/api/v1/search/", {"q": "计量"}).status_code == 200
    refused = client.get("/api/v1/search/", {"q": "计量"})

    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert set(refused.json()) == {"code", "detail"}
    assert int(refused["Retry-After"]) >= 1


def test_uploads_are_limited_per_user_in_a_short_window(limits, make_user, private_root):
    limits(upload="3/m")
    owner = make_user()
    other = make_user()

    for _ in range(3):
        document_store(owner=owner, kind="other", upload=upload(png_bytes()))
    with pytest.raises(RateLimited):
        document_store(owner=owner, kind="other", upload=upload(png_bytes()))
    document_store(owner=other, kind="other", upload=upload(png_bytes()))

    assert Document.objects.filter(owner=owner).count() == 3
    assert Document.objects.filter(owner=other).count() == 1


def test_refused_uploads_count_towards_the_upload_limit(limits, make_user, private_root):
    limits(upload="2/m")
    owner = make_user()

    for _ in range(2):
        with pytest.raises(Exception, match=r"\S"):
            document_store(owner=owner, kind="other", upload=upload(b"MZ\x90\x00 not a scan"))
    with pytest.raises(RateLimited):
        document_store(owner=owner, kind="other", upload=upload(png_bytes()))

    assert not Document.objects.exists()


@pytest.mark.clause("WX 4.1.4")
def test_login_is_locked_after_five_failures(client, make_user):
    make_user(username="li", password="Zhiliang-2026-Qi!x")

    answers = [
        client.post("/accounts/login/", {"username": "li", "password": "wrong"}).status_code
        for _ in range(6)
    ]

    assert answers[:4] == [200] * 4
    assert answers[-1] == 429


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_sms_codes_are_limited_per_number(settings, django_capture_on_commit_callbacks):
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    MemorySmsGateway.outbox.clear()
    api = Client(enforce_csrf_checks=True)
    body = {"mobile": "13812345678", "purpose": "register"}

    with django_capture_on_commit_callbacks(execute=True):
        first = api.post("/api/v1/accounts/codes", body, content_type="application/json")
        second = api.post("/api/v1/accounts/codes", body, content_type="application/json")

    assert first.status_code == 200
    assert second.status_code == 429
    assert len(MemorySmsGateway.outbox) == 1
    MemorySmsGateway.outbox.clear()
