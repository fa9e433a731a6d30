"""The authorisation matrix (LZ 4.6, HM 6.3).

Every URL pattern and every API operation is requested by each of thirteen
roles, with the ids of real objects belonging to a victim (an enterprise in
Liuzhou, its order, demand, complaint, sample, appointment, ...) filled into
the URL. Each answer must be the one declared in tests/authz/policy.py;
an endpoint without a policy entry fails the test. A refused POST changes
none of the key tables, and nothing answers with a 5xx.

AUTHZ_MATRIX_DUMP=<dir> writes each role's observed answers to <dir>/<role>.json
(to review a change of policy).
"""

from __future__ import annotations

import json
import os
from typing import Any

import policy
import pytest
from authz_matrix import (
    Route,
    api_routes,
    body_of,
    outcome,
    state,
    url_of,
    url_routes,
)
from authz_world import ROLES, VICTIM_MOBILE, build
from django.test import Client

# The victim, and those holding Perm.PERSONAL_DATA_VIEW over Liuzhou.
MAY_SEE_MOBILE = frozenset({"enterprise_owner", "center_staff", "sysadmin"})
REFUSALS = frozenset({"401", "403", "404", "405", "login"})
# With an empty body, an allowed write may answer with a validation error.
INVALID_INPUT = frozenset({"400", "409", "422"})


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.clause("LZ 4.6")
def test_every_endpoint_has_a_policy_entry():
    """A new endpoint without a policy entry fails."""
    keys = {route.key for route in url_routes() + api_routes()}
    missing = sorted(key for key in keys if policy.expected(key, "visitor") is None)
    assert not missing, f"new endpoints without a policy entry: {missing}"
    unknown = sorted(set(policy.POLICY) - keys - set(policy.PREFIXES))
    assert not unknown, f"policy entries for endpoints that no longer exist: {unknown}"
    assert len(keys) > 300  # the walk found the whole site


def _request(client: Client, route: Route, method: str, url: str) -> Any:
    if route.api and method != "get":
        return getattr(client, method)(url, data="{}", content_type="application/json")
    return getattr(client, method)(url)


def _check(route: Route, method: str, expected: str, got: str) -> str | None:
    """Why ``got`` breaks the policy, or None."""
    post_only = route.key in policy.POST_ONLY
    if route.api or (method == "get" and not post_only) or (method == "post" and post_only):
        # The request the expectation is about.
        if got == expected:
            return None
        if expected == "ok" and (route.api or method != "get") and got in INVALID_INPUT:
            return None
        return f"expected {expected}"
    if method == "get":  # a POST-only route
        return None if got == "405" or (expected != "ok" and got == expected) else "expected 405"
    # POST to a page whose GET is the declared one.
    if expected in REFUSALS:
        return None if got in REFUSALS else f"expected a refusal like GET ({expected})"
    return None if got not in {"login"} else "expected not to be sent to log in"


@pytest.mark.clause("LZ 4.6")
@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_answer_everywhere(client, regions, make_user, otp_login, role):
    # Given the world and one user per role, logged in (staff with 2FA).
    world = build(regions, make_user)
    user = world.users[role]
    routes = url_routes() + api_routes()

    def log_in() -> None:
        if user.is_authenticated:
            otp_login(user)

    client.raise_request_exception = False  # a 500 is reported, not raised
    log_in()
    broken: list[str] = []
    observed: dict[str, dict[str, str]] = {}
    # When every route is requested: all GETs first (on the untouched
    # world), then the POSTs (an allowed POST may change what follows).
    for method in ("get", "post"):
        before = state()
        for route in routes:
            if method not in route.methods:
                continue
            expected = policy.expected(route.key, role)
            if route.key in policy.SLOW and role != "visitor" and expected == "ok":
                continue  # rendered elsewhere; here only refusals (fast) count
            if user.is_authenticated and "_auth_user_id" not in client.session:
                log_in()  # one of the routes is a logout
            url = url_of(route, world, str(user.pk or 0))
            response = _request(client, route, method, url)
            got = outcome(response)
            observed.setdefault(route.key, {})[method] = got
            where = f"{role}: {method.upper()} {url} ({route.key}) answered {got}"
            # Then nothing fails, leaks the victim's mobile, ...
            if response.status_code >= 500:
                broken.append(f"{where}: server error")
                continue
            if role not in MAY_SEE_MOBILE and VICTIM_MOBILE.encode() in body_of(response):
                broken.append(f"{where}: shows the victim's mobile number")
            if expected is None:
                continue  # reported by test_every_endpoint_has_a_policy_entry
            # ... answers as declared ...
            why = _check(route, method, expected, got)
            if why:
                broken.append(f"{where}: {why}")
            # ... and a refused write changes nothing.
            if method != "get" and got != "405":  # (405: the view did not run)
                after = state()
                if after != before and got in REFUSALS:
                    broken.append(f"{where}: refused, yet the data changed")
                before = after

    dump = os.environ.get("AUTHZ_MATRIX_DUMP")
    if dump:
        with open(f"{dump}/{role}.json", "w", encoding="utf-8") as handle:
            json.dump(observed, handle, indent=0, sort_keys=True)
    assert not broken, "\n".join(broken)
