"""The anonymous page cache (onestop.core.pagecache) on the public pages."""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import constants, storage
from django.db import connection
from django.test import Client

from onestop.core import pagecache

NONCE = re.compile(r'nonce="([^"]+)"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    """The page cache on, with keys of this test's own (the cache outlives tests)."""
    settings.ONESTOP_PAGE_CACHE_SECONDS = 60
    default = {**settings.CACHES["default"], "KEY_PREFIX": f"pagecache-{uuid.uuid4().hex}"}
    settings.CACHES = {**settings.CACHES, "default": default}


def _page(client: Client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return response, response.content.decode()


def test_second_anonymous_visit_is_served_from_the_cache_without_queries(
    page_cache, offering, django_assert_num_queries
):
    path = f"/institutions/offerings/{offering.pk}/"
    first, _body = _page(Client(), path)
    assert first[pagecache.HEADER] == "miss"
    with django_assert_num_queries(0):
        second, body = _page(Client(), path)
    assert second[pagecache.HEADER] == "hit"
    assert offering.name in body
    # Answered by the middleware, with the headers the rest of the stack would add.
    assert second["X-Frame-Options"] == "DENY"
    assert second["Content-Length"] == str(len(second.content))
    assert "nonce-" in second["Content-Security-Policy"]
    assert "Cookie" in second["Vary"]


def test_a_visitor_with_a_session_is_served_by_the_view_s_wrapper(page_cache, regions):
    _page(Client(), "/")
    visitor = Client()
    session = visitor.session
    session["something"] = "kept"
    session.save()
    response, _body = _page(visitor, "/")
    assert response[pagecache.HEADER] == "hit"


def test_pages_that_are_not_public_are_not_looked_up(page_cache, regions):
    login = Client().get("/accounts/login/")
    assert login.status_code == 200
    assert pagecache.HEADER not in login


def test_each_response_carries_its_own_nonce_and_csrf_token(page_cache, regions):
    _a, body_a = _page(Client(), "/")
    b, body_b = _page(Client(), "/")
    assert b[pagecache.HEADER] == "hit"
    nonces_a, nonces_b = set(NONCE.findall(body_a)), set(NONCE.findall(body_b))
    assert len(nonces_a) == 1
    assert len(nonces_b) == 1
    assert nonces_a != nonces_b
    # The page's nonce is the one its own policy header allows.
    assert f"'nonce-{nonces_b.pop()}'" in b["Content-Security-Policy"]
    assert pagecache.NONCE_MARK not in body_b
    assert pagecache.CSRF_MARK not in body_b
    token_a, token_b = TOKEN.findall(body_a), TOKEN.findall(body_b)
    assert token_a
    assert token_b
    assert token_a[0] != token_b[0]


def test_a_cached_page_s_form_posts_with_the_visitor_s_own_token(page_cache, regions):
    _page(Client(), "/")  # someone else fills the cache
    visitor = Client(enforce_csrf_checks=True)
    response, body = _page(visitor, "/")
    assert response[pagecache.HEADER] == "hit"
    token = TOKEN.findall(body)[0]
    assert django_settings.CSRF_COOKIE_NAME in response.cookies  # the token's cookie comes along
    answer = visitor.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302


def test_logged_in_users_neither_read_nor_fill_the_cache(page_cache, offering, owner):
    path = f"/institutions/offerings/{offering.pk}/"
    member = Client()
    member.force_login(owner)
    response, body = _page(member, path)
    assert pagecache.HEADER not in response
    assert owner.display_name in body
    anonymous, anon_body = _page(Client(), path)
    assert anonymous[pagecache.HEADER] == "miss"
    assert owner.display_name not in anon_body
    again, _body = _page(member, path)
    assert pagecache.HEADER not in again


def test_a_change_to_a_public_row_shows_once_committed(
    page_cache, offering, django_capture_on_commit_callbacks
):
    path = f"/institutions/offerings/{offering.pk}/"
    _page(Client(), path)
    # What the fixtures left waiting for the test's (never committed)
    # transaction is not this test's concern: start from a clean slate.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        offering.name = "更名后的压力表校准服务"
        offering.save(update_fields=["name"])
        offering.institution.save()
        # Until the commit the old page is still served (the change is not visible yet).
        assert Client().get(path)[pagecache.HEADER] == "hit"
    assert [c for c in callbacks if c is pagecache.invalidate] == [pagecache.invalidate]
    response, body = _page(Client(), path)
    assert response[pagecache.HEADER] == "miss"
    assert "更名后的压力表校准服务" in body


def test_region_and_language_are_part_of_the_key(page_cache, regions):
    _page(Client(), "/")
    hami = Client()
    session = hami.session
    session["onestop_region"] = "650500"
    session.save()
    response, _body = _page(hami, "/")
    assert response[pagecache.HEADER] == "miss"
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response, _body = _page(english, "/")
    assert response[pagecache.HEADER] == "miss"
    response, _body = _page(Client(), "/")
    assert response[pagecache.HEADER] == "hit"


def test_a_waiting_message_bypasses_the_cache(page_cache, regions, rf):
    _page(Client(), "/")
    visitor = Client()
    request = rf.get("/")
    cookie_storage = storage.cookie.CookieStorage(request)
    from django.http import HttpResponse

    response = HttpResponse()
    cookie_storage.add(constants.INFO, "已退出登录")
    cookie_storage.update(response)
    name = storage.cookie.CookieStorage.cookie_name
    visitor.cookies[name] = response.cookies[name].value
    answer, body = _page(visitor, "/")
    assert pagecache.HEADER not in answer
    assert "已退出登录" in body


def test_errors_are_not_cached(page_cache, regions):
    missing = Client().get("/institutions/offerings/999999/")
    assert missing.status_code == 404
    assert pagecache.HEADER not in missing
    assert pagecache.HEADER not in Client().get("/institutions/offerings/999999/")


def test_off_when_the_setting_is_zero(settings, regions):
    settings.ONESTOP_PAGE_CACHE_SECONDS = 0
    assert pagecache.HEADER not in Client().get("/")
    assert pagecache.HEADER not in Client().get("/")
