"""Deployment check and security headers (issue 7 item 8): `check --deploy`
with the production settings reports nothing; every page carries a strict
Content-Security-Policy (no 'unsafe-inline'), HSTS, frame denial and a
referrer policy."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.test import override_settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "onestop.config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "ONESTOP_FIELD_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "ONESTOP_INDEX_KEY": secrets.token_hex(16),
}
SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
)


def _production(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **PRODUCTION_ENV}
    env.pop("ONESTOP_DATA_DIR", None)
    # Set by the browser tests' conftest for Playwright; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_with_the_production_settings_reports_nothing():
    result = _production("-m", "onestop", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def production_security() -> dict[str, object]:
    """The production profile's security settings, read in a process of its own."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{k: getattr(settings, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    result = _production("-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
@pytest.mark.clause("LZ 4.6")
def test_pages_carry_the_security_headers_of_production(client, production_security):
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in production_security.items()}
    with override_settings(**values):
        plain = client.get("/")
        assert plain.status_code == 301  # HTTP is redirected to HTTPS
        assert plain["Location"].startswith("https://")
        response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp


@pytest.mark.django_db
def test_inline_styles_carry_the_nonce_of_their_response(client):
    first, second = client.get("/"), client.get("/")
    nonces = []
    for response in (first, second):
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        body = response.content.decode()
        for tag in re.findall(r"<(?:style|script)\b[^>]*>", body):
            if 'type="application/json"' in tag:
                continue  # data, not executed
            assert f'nonce="{nonce}"' in tag, tag
        nonces.append(nonce)
    assert nonces[0] != nonces[1]  # a fresh nonce per response


@pytest.mark.django_db
def test_the_api_documentation_works_under_the_policy(client, make_user):
    client.force_login(make_user("sysadmin"))
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", body)
    assert "style=" not in body
