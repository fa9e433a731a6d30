"""Registration and password-reset pages, the privacy notice and "my account"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from onestop.accounts.models import Consent, SmsCode, User
from onestop.accounts.services import role_grant
from onestop.accounts.sms_codes import SmsTooSoon
from onestop.notifications.sms import MemorySmsGateway

MOBILE = "13812345678"
PASSWORD = "Zhiliang-2026-Qi!x"
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")
CSRF_RE = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    MemorySmsGateway.outbox.clear()
    yield MemorySmsGateway.outbox
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """post(url, data): a POST whose after-commit work (the SMS) runs."""

    def post_(url: str, data: dict[str, str]):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return post_


def last_code(outbox) -> str:
    return CODE_RE.search(outbox[-1].text).group(1)


def zh(message: str, **params) -> str:
    with translation.override("zh-hans"):
        text = str(_(message))
    return escape(text % params if params else text)


def details(code: str, **overrides) -> dict[str, str]:
    data = {
        "kind": "enterprise",
        "code": code,
        "display_name": "无锡某精密机械有限公司",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "region": "320214",
        "consent": "on",
        "consent_version": "2026-11",
    }
    data.update(overrides)
    return data


@pytest.mark.clause("WX 7.1.1.1")
def test_registering_in_two_steps_logs_in_and_goes_home(client, post, outbox, regions):
    assert client.get("/accounts/register/").status_code == 200

    response = post("/accounts/register/", {"mobile": MOBILE})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/details/"
    page = client.get("/accounts/register/details/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "138****5678" in body
    assert MOBILE not in body
    assert 'type="radio"' in body
    assert 'href="/accounts/privacy/"' in body

    response = post("/accounts/register/details/", details(last_code(outbox)))

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get()
    assert user.kind == "enterprise"
    assert user.mobile == MOBILE
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "onestop_register_mobile" not in client.session
    assert Consent.objects.filter(user=user, notice__version="2026-11").exists()
    home = client.get("/")
    assert escape(user.display_name) in home.content.decode()


def test_the_number_waits_in_the_session_encrypted(client, post, regions):
    post("/accounts/register/", {"mobile": MOBILE})

    assert MOBILE not in str(dict(client.session.items()))


def test_sending_a_second_code_within_a_minute_shows_the_limit(client, post, regions):
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), tick=False):
        post("/accounts/register/", {"mobile": MOBILE})

        response = post("/accounts/register/", {"mobile": MOBILE})

    assert response.status_code == 429
    assert zh(str(SmsTooSoon.default_message), seconds=60) in response.content.decode()


def test_a_malformed_number_is_shown_on_the_form(client, post, outbox, db):
    response = post("/accounts/register/", {"mobile": "12345"})

    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert outbox == []


def test_step_two_without_step_one_goes_back_to_step_one(client, db):
    response = client.get("/accounts/register/details/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/"


@pytest.mark.clause("WX 4.1.4")
def test_a_display_name_with_markup_is_refused_on_the_form(client, post, outbox, regions):
    post("/accounts/register/", {"mobile": MOBILE})

    response = post(
        "/accounts/register/details/",
        details(last_code(outbox), display_name="<img src=x onerror=alert(1)>"),
    )

    assert response.status_code == 400
    assert "<img src=x" not in response.content.decode()
    assert not User.objects.exists()


def test_registration_without_consent_is_refused(client, post, outbox, regions):
    post("/accounts/register/", {"mobile": MOBILE})
    data = details(last_code(outbox))
    del data["consent"]

    response = post("/accounts/register/details/", data)

    assert response.status_code == 400
    assert not User.objects.exists()


def test_a_wrong_code_is_shown_on_the_code_field(client, post, outbox, regions):
    post("/accounts/register/", {"mobile": MOBILE})
    code = last_code(outbox)

    response = post(
        "/accounts/register/details/", details("000000" if code != "000000" else "111111")
    )

    assert response.status_code == 400
    assert 'href="#id_code"' in response.content.decode()
    assert SmsCode.objects.get().attempts == 1


def test_the_code_can_be_sent_again_from_step_two(client, post, outbox, regions):
    post("/accounts/register/", {"mobile": MOBILE})
    SmsCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))

    response = post("/accounts/register/details/", {"action": "resend"})

    assert response.status_code == 302
    assert len(outbox) == 2


def test_the_registration_pages_have_a_fixed_number_of_queries(
    client, post, regions, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):  # the region of the page header
        assert client.get("/accounts/register/").status_code == 200
    post("/accounts/register/", {"mobile": MOBILE})
    # session, privacy notice, region choices, header region
    with django_assert_max_num_queries(4):
        assert client.get("/accounts/register/details/").status_code == 200


# Password reset


NONCE_RE = re.compile(r'nonce="[^"]+"')


def normalised(body: str, mobile: str) -> str:
    """The page without what differs per response (CSRF token, CSP nonce)."""
    return NONCE_RE.sub("", CSRF_RE.sub("", body)).replace(mobile, "")


@pytest.mark.clause("HM 6.3")
def test_the_reset_pages_answer_the_same_for_a_registered_and_an_unknown_number(
    client, post, outbox, make_user
):
    registered, stranger = "13811115678", "13822225678"  # both shown as 138****5678
    make_user(mobile=registered, mobile_index=_index(registered))
    pages = []
    for mobile in (registered, stranger):
        client.cookies.clear()
        response = post("/accounts/password-reset/", {"mobile": mobile})
        assert response.status_code == 302
        assert response["Location"] == "/accounts/password-reset/confirm/"
        pages.append(normalised(client.get(response["Location"]).content.decode(), mobile))

    assert pages[0] == pages[1]
    assert [sms.mobile for sms in outbox] == [registered]


@pytest.mark.clause("WX 4.1.4")
def test_a_password_is_reset_through_the_pages(client, post, outbox, make_user):
    user = make_user(mobile=MOBILE, mobile_index=_index(MOBILE))
    post("/accounts/password-reset/", {"mobile": MOBILE})

    response = post(
        "/accounts/password-reset/confirm/",
        {
            "code": last_code(outbox),
            "password1": "Neue-Passwort-2026#",
            "password2": "Neue-Passwort-2026#",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password("Neue-Passwort-2026#")
    assert [m.level_tag for m in get_messages(response.wsgi_request)][-1] == "success"


def test_mismatched_new_passwords_are_refused(client, post, outbox, make_user):
    user = make_user(mobile=MOBILE, mobile_index=_index(MOBILE))
    post("/accounts/password-reset/", {"mobile": MOBILE})

    response = post(
        "/accounts/password-reset/confirm/",
        {"code": last_code(outbox), "password1": "Neue-Passwort-2026#", "password2": "other"},
    )

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.check_password("Neue-Passwort-2026#")


def _index(mobile: str) -> str:
    from onestop.accounts.sms_codes import mobile_index

    return mobile_index(mobile)


# My account and the privacy notice


@pytest.mark.clause("HM 6.3")
def test_my_account_shows_the_masked_number_only(
    client, make_user, regions, django_assert_max_num_queries
):
    user = make_user(
        "enterprise", "450202", mobile=MOBILE, mobile_index=_index(MOBILE), kind="enterprise"
    )
    role_grant(actor=None, user=user, role="individual", region=regions["320214"])
    client.force_login(user)

    # session, user, roles with regions, header region; one spare for 2FA middleware
    with django_assert_max_num_queries(5):
        response = client.get("/accounts/me/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "138****5678" in body
    assert MOBILE not in body
    assert "12345678" not in body
    assert escape(user.display_name) in body
    assert regions["450202"].name in body
    assert regions["320214"].name in body


def test_my_account_needs_login(client, db):
    response = client.get("/accounts/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.clause("HM 6.3")
def test_the_privacy_notice_is_public(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/accounts/privacy/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "2026-11" in body
    assert "身份证号码" in body
    assert "复制" in body
    assert "注销" in body


@pytest.mark.clause("WX 4.1.4")
def test_a_password_reset_lifts_the_accounts_lockout(client, post, outbox, make_user):
    make_user(username="lockme", mobile=MOBILE, mobile_index=_index(MOBILE))
    for _attempt in range(5):
        client.post(
            "/accounts/login/", {"username": "lockme", "password": "wrong"}, REMOTE_ADDR="10.1.1.1"
        )
    locked = client.post(
        "/accounts/login/", {"username": "lockme", "password": "x"}, REMOTE_ADDR="10.2.2.2"
    )
    assert locked.status_code == 429  # the account is locked from everywhere
    post("/accounts/password-reset/", {"mobile": MOBILE})
    post(
        "/accounts/password-reset/confirm/",
        {
            "code": last_code(outbox),
            "password1": "Neue-Passwort-2026#",
            "password2": "Neue-Passwort-2026#",
        },
    )

    response = client.post(
        "/accounts/login/",
        {"username": "lockme", "password": "Neue-Passwort-2026#"},
        REMOTE_ADDR="10.2.2.2",
    )

    assert response.status_code == 302


@pytest.mark.clause("WX A")
def test_registering_returns_to_where_the_visitor_was_going(client, post, outbox, regions):
    # Sent to register from an order button ("member?" in WX App. A).
    client.get("/accounts/register/?next=/orders/new/7/")
    post("/accounts/register/", {"mobile": MOBILE})
    response = post("/accounts/register/details/", details(last_code(outbox)))
    assert response.status_code == 302
    assert response["Location"] == "/orders/new/7/"


def test_a_next_pointing_elsewhere_is_ignored(client, post, outbox, regions):
    client.get("/accounts/register/?next=https://evil.example/")
    post("/accounts/register/", {"mobile": MOBILE})
    response = post("/accounts/register/details/", details(last_code(outbox)))
    assert response["Location"] == "/"
