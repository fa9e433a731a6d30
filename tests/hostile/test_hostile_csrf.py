"""CSRF (issue 7 item 7): every route refuses a POST without the token.

The routes are found by walking the URL resolver and the OpenAPI document,
so a new page or operation is covered the day it is added. A route that
may legitimately take a POST without the token must be listed in
``NO_TOKEN_NEEDED`` with the reason; a listed route that disappears fails
the test too, so the list cannot go stale.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from onestop.config.api import api

SAMPLE_UUID = str(uuid.UUID(int=7))
_CONVERTERS = {"int": "1", "uuid": SAMPLE_UUID, "slug": "x", "str": "x", "path": "x/y"}
_REGEX_SAMPLES = {"app_label": "auth", "url": "x", "code": "450200", "year": "2026"}

# JSON operations that work without a session (auth=None), so a forged
# cross-site request carries no authority: a POST without the token is
# accepted and judged on its content. Keyed "METHOD /path" as in the
# OpenAPI document.
NO_TOKEN_NEEDED = {
    "POST /api/v1/accounts/codes": "asks for an SMS code; limited per number, no session",
    "POST /api/v1/accounts/register": "registers with an SMS code; does not log in",
    "POST /api/v1/evaluations/invitations/{token}": (
        "a rating by the secret token of an SMS invitation; the token is the authority"
    ),
}


def _route_of(pattern: URLPattern | URLResolver) -> str:
    if isinstance(pattern.pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?\w+>",
            lambda m: _CONVERTERS[m[1] or "str"],
            str(pattern.pattern._route),
        )
    regex = str(pattern.pattern._regex).lstrip("^").rstrip("$")
    return re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", lambda m: _REGEX_SAMPLES[m[1]], regex)


def page_routes() -> Iterator[str]:
    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + _route_of(pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield "/" + route

    for route in walk(get_resolver().url_patterns, ""):
        if not route.startswith("/api/"):
            yield route


def api_operations() -> list[tuple[str, str, bool]]:
    """(method, path with sample values, needs a session) for every unsafe operation."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method.upper() not in {"POST", "PUT", "PATCH", "DELETE"}:
                continue
            url = path
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    kind = param.get("schema", {})
                    value = (
                        "1"
                        if kind.get("type") == "integer"
                        else SAMPLE_UUID
                        if kind.get("format") == "uuid"
                        else "x"
                    )
                    url = url.replace("{" + param["name"] + "}", value)
            operations.append((method.upper(), url, path, bool(operation.get("security"))))
    return operations


@pytest.fixture
def signed_in(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    return client


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_every_page_refuses_a_post_without_the_token(signed_in):
    anonymous = Client(enforce_csrf_checks=True)
    routes = sorted(set(page_routes()))
    accepted = []
    for route in routes:
        for who, client in (("anonymous", anonymous), ("signed in", signed_in)):
            status = client.post(route, {"x": "1"}).status_code
            if status != 403:
                accepted.append(f"{who} POST {route} -> {status}")

    assert len(routes) > 150  # the walk found the platform, not an empty list
    assert accepted == []


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
def test_every_api_operation_with_a_session_refuses_a_request_without_the_token(signed_in):
    operations = api_operations()
    open_ones = {f"{method} {path}" for method, _url, path, secured in operations if not secured}
    accepted = []
    for method, url, path, secured in operations:
        if not secured:
            continue
        response = signed_in.generic(method, url, "{}", content_type="application/json")
        if response.status_code != 403:
            accepted.append(f"{method} {path} -> {response.status_code}")

    assert len(operations) > 10
    assert accepted == []
    assert open_ones == set(NO_TOKEN_NEEDED)


@pytest.mark.django_db
def test_a_post_with_the_token_gets_through(make_user):
    """The control: the 403s above are the missing token, not something else."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/accounts/login/")
    token = page.cookies["csrftoken"].value

    without = client.post("/accounts/login/", {"username": "x", "password": "y"})
    with_token = client.post(
        "/accounts/login/", {"username": "x", "password": "y", "csrfmiddlewaretoken": token}
    )

    assert without.status_code == 403
    assert with_token.status_code == 200  # the form again, with its error
