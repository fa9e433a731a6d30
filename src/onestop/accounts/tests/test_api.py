"""The accounts API under /api/v1/accounts/."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from onestop.accounts.models import SmsCode, User
from onestop.accounts.sms_codes import mobile_index
from onestop.notifications.sms import MemorySmsGateway

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
PASSWORD = "Zhiliang-2026-Qi!x"
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
CODES, REGISTER, ME = "/api/v1/accounts/codes", "/api/v1/accounts/register", "/api/v1/accounts/me"


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    MemorySmsGateway.outbox.clear()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def api(django_capture_on_commit_callbacks):
    """api(url, body) -> response: a JSON POST, CSRF checks on, after-commit work run."""
    client = Client(enforce_csrf_checks=True)

    def post(url: str, body: dict[str, str]):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, body, content_type="application/json")

    post.client = client
    return post


def registration(code: str, **overrides: str) -> dict[str, str]:
    body = {
        "kind": "individual",
        "mobile": MOBILE,
        "code": code,
        "password": PASSWORD,
        "display_name": "张三",
        "region": "450202",
        "consent_version": "2026-11",
    }
    body.update(overrides)
    return body


def sent_code(outbox) -> str:
    return CODE_RE.search(outbox[-1].text).group(1)


@pytest.mark.clause("WX 7.1.1.1")
def test_register_through_the_api(api, outbox, regions):
    response = api(CODES, {"mobile": MOBILE, "purpose": "register"})
    assert response.status_code == 200
    assert response.json() == {"expires_in": 300, "resend_after": 60}

    response = api(REGISTER, registration(sent_code(outbox)))

    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "individual"
    assert body["display_name"] == "张三"
    assert body["masked_mobile"] == "138****5678"
    assert body["roles"] == [
        {"role": "individual", "region_code": "450202", "region_name": "城中区"}
    ]
    assert MOBILE not in response.content.decode()
    assert User.objects.get().mobile == MOBILE
    # The API does not log in: a cross-site POST must not switch the browser's account.
    assert api.client.get(ME).status_code == 401


def test_a_malformed_mobile_is_400(api, outbox):
    response = api(CODES, {"mobile": "1234", "purpose": "register"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_mobile"
    assert outbox == []


@pytest.mark.clause("WX 4.1.4")
def test_a_second_code_within_a_minute_is_429(api, outbox):
    api(CODES, {"mobile": MOBILE, "purpose": "register"})

    response = api(CODES, {"mobile": MOBILE, "purpose": "password_reset"})

    assert response.status_code == 429
    assert response.json()["code"] == "sms_too_soon"
    assert set(response.json()) == {"code", "detail"}
    assert len(outbox) == 1


def test_invitation_codes_cannot_be_asked_for(api, outbox):
    response = api(CODES, {"mobile": MOBILE, "purpose": "invite"})

    assert response.status_code == 422
    assert not SmsCode.objects.exists()


def test_a_wrong_code_is_400(api, outbox, regions):
    api(CODES, {"mobile": MOBILE, "purpose": "register"})
    code = sent_code(outbox)

    response = api(REGISTER, registration("000000" if code != "000000" else "111111"))

    assert response.status_code == 400
    assert response.json()["code"] == "sms_code_wrong"
    assert not User.objects.exists()


def test_a_registered_number_is_409(api, outbox, make_user, regions):
    make_user(mobile=MOBILE, mobile_index=mobile_index(MOBILE))
    api(CODES, {"mobile": MOBILE, "purpose": "register"})

    response = api(REGISTER, registration(sent_code(outbox)))

    assert response.status_code == 409
    assert response.json()["code"] == "mobile_taken"
    assert User.objects.count() == 1


def test_markup_in_the_display_name_is_400(api, outbox, regions):
    api(CODES, {"mobile": MOBILE, "purpose": "register"})

    response = api(REGISTER, registration(sent_code(outbox), display_name="<b>张三</b>"))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_display_name"
    assert not User.objects.exists()


def test_an_old_consent_version_is_400(api, outbox, regions):
    api(CODES, {"mobile": MOBILE, "purpose": "register"})

    response = api(REGISTER, registration(sent_code(outbox), consent_version="2020-01"))

    assert response.status_code == 400
    assert response.json()["code"] == "consent_required"


def test_an_unknown_region_is_404(api, outbox, regions):
    api(CODES, {"mobile": MOBILE, "purpose": "register"})

    response = api(REGISTER, registration(sent_code(outbox), region="999999"))

    assert response.status_code == 404
    assert not User.objects.exists()


@pytest.mark.clause("HM 6.3")
def test_me_shows_the_masked_number(make_user, regions, django_assert_max_num_queries):
    user = make_user("enterprise", "450202", mobile=MOBILE, mobile_index=mobile_index(MOBILE))
    client = Client()
    client.force_login(user)

    with django_assert_max_num_queries(4):
        response = client.get(ME)

    assert response.status_code == 200
    assert response.json()["masked_mobile"] == "138****5678"
    assert MOBILE not in response.content.decode()


def test_me_needs_login(db):
    assert Client().get(ME).status_code == 401


def test_the_error_answers_are_documented(db):
    schema = Client().get("/api/v1/openapi.json").json()

    codes = schema["paths"][CODES]["post"]["responses"]
    register = schema["paths"][REGISTER]["post"]["responses"]
    assert {"400", "429"} <= set(codes)
    assert {"201", "400", "409"} <= set(register)
    assert register["409"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorOut")
