"""Login by username or mobile number, lockout, password rules, session limits (WX 4.1.4)."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from onestop.accounts.models import User
from onestop.audit.models import AuditEvent
from onestop.core.crypto import blind_index

PASSWORD = "Right-pass-2026"
LOGIN = "/accounts/login/"
START = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def give_mobile(user, mobile: str):
    user.mobile = mobile
    user.mobile_index = blind_index(mobile, purpose="mobile")
    user.save(update_fields=["mobile", "mobile_index"])
    return user


def attempt(client, username: str, password: str, ip: str = "10.0.0.1", url: str = LOGIN, **meta):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **meta)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, ip: str = "10.0.0.1", **meta):
    responses = [attempt(client, username, "wrong-password", ip, **meta) for _ in range(times)]
    return responses[-1]


# --- logging in -----------------------------------------------------------------


def test_logs_in_by_username(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    response = attempt(client, "zhang", PASSWORD)

    assert response.status_code == 302
    assert logged_in(client)


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize("typed", ["13800138000", " 138 0013 8000 ", "+8613800138000"])
def test_logs_in_by_mobile_number(client, make_user, typed):
    zhang = give_mobile(make_user(username="zhang", password=PASSWORD), "13800138000")

    response = attempt(client, typed, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(zhang.pk)


def test_a_number_shaped_login_is_only_ever_a_mobile_number(client, make_user):
    # Someone whose *username* is another person's number cannot shadow it.
    give_mobile(make_user(username="owner", password=PASSWORD), "13900139000")
    make_user(username="13900139000", password=PASSWORD)

    attempt(client, "13900139000", PASSWORD)

    assert User.objects.get(pk=client.session["_auth_user_id"]).username == "owner"


def test_unknown_user_is_refused_like_a_wrong_password_and_still_hashes(client, make_user):
    make_user(username="zhang", password=PASSWORD)
    wrong = attempt(client, "zhang", "not-the-password")

    with mock.patch("django.contrib.auth.base_user.make_password", wraps=make_password) as hashing:
        unknown = attempt(client, "nobody", "not-the-password")
        unknown_mobile = attempt(client, "13712345678", "not-the-password")

    assert unknown.status_code == wrong.status_code == 200
    assert unknown_mobile.status_code == 200
    error = zh("The username or password is wrong. Both are case-sensitive.")
    assert error in unknown.content.decode()
    assert error in wrong.content.decode()
    assert hashing.call_count == 2  # one hash per unknown name, as for a real check
    assert not logged_in(client)


def test_disabled_account_cannot_log_in(client, make_user):
    make_user(username="zhang", password=PASSWORD, is_active=False)

    attempt(client, "zhang", PASSWORD)

    assert not logged_in(client)


# --- lockout --------------------------------------------------------------------


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize("url", ["/accounts/login/", "/workbench/login/"])
def test_five_failures_lock_the_account_even_from_another_address(client, make_user, regions, url):
    make_user("center_staff", "450200", username="zhang", password=PASSWORD)

    for _ in range(4):
        assert attempt(client, "zhang", "wrong", "10.0.0.1", url).status_code == 200
    fifth = attempt(client, "zhang", "wrong", "10.0.0.1", url)
    right_elsewhere = attempt(client, "zhang", PASSWORD, "10.9.9.9", url)

    assert fifth.status_code == 429
    assert right_elsewhere.status_code == 429
    assert not logged_in(client)
    assert AuditEvent.objects.filter(action="auth.locked_out", actor_label="zhang").count() == 1


@pytest.mark.clause("WX 4.1.4")
def test_failures_by_username_and_by_mobile_number_count_together(client, make_user):
    give_mobile(make_user(username="zhang", password=PASSWORD), "13800138000")

    fail(client, "zhang", 3, "10.0.0.1")
    fail(client, "138 0013 8000", 2, "10.0.0.2")

    assert attempt(client, "zhang", PASSWORD, "10.0.0.3").status_code == 429
    assert not logged_in(client)


@pytest.mark.clause("WX 4.1.4")
def test_five_failures_from_one_address_lock_it_for_every_account(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    for name in ["a1", "a2", "a3", "a4", "a5"]:
        attempt(client, name, "wrong", "10.0.0.66")
    from_there = attempt(client, "zhang", PASSWORD, "10.0.0.66")
    from_elsewhere = attempt(client, "zhang", PASSWORD, "10.0.0.7")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302
    assert logged_in(client)


@pytest.mark.clause("WX 4.1.4")
def test_x_forwarded_for_does_not_dodge_the_address_lock(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    for n in range(5):
        attempt(client, f"guess{n}", "wrong", "10.0.0.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = attempt(client, "zhang", PASSWORD, "10.0.0.66", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert response.status_code == 429
    assert not logged_in(client)


def test_the_address_behind_our_nginx_is_x_real_ip(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    for n in range(5):
        attempt(client, f"guess{n}", "wrong", "127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    other_client = attempt(client, "zhang", PASSWORD, "127.0.0.1", HTTP_X_REAL_IP="203.0.113.6")

    assert other_client.status_code == 302


@pytest.mark.clause("WX 4.1.4")
def test_the_lock_ends_after_15_minutes(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    with time_machine.travel(START, tick=False) as clock:
        fail(client, "zhang", 5)
        clock.shift(dt.timedelta(minutes=14, seconds=59))
        still_locked = attempt(client, "zhang", PASSWORD, "10.0.0.2")
        clock.shift(dt.timedelta(seconds=2))
        after = attempt(client, "zhang", PASSWORD, "10.0.0.2")
        # (the session is read at the travelled time; it would be stale at today's)
        assert logged_in(client)

    assert still_locked.status_code == 429
    assert after.status_code == 302


def test_refused_attempts_do_not_extend_the_lock(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    with time_machine.travel(START, tick=False) as clock:
        fail(client, "zhang", 5)
        for _ in range(3):
            clock.shift(dt.timedelta(minutes=4))
            attempt(client, "zhang", "wrong")
        clock.shift(dt.timedelta(minutes=3, seconds=1))
        after = attempt(client, "zhang", PASSWORD)

    assert after.status_code == 302


@pytest.mark.clause("WX 4.1.4")
def test_the_lockout_page_is_chinese_and_says_when_to_try_again(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    with time_machine.travel(START, tick=False):
        response = fail(client, "zhang", 5)

    body = response.content.decode()
    assert response.status_code == 429
    assert zh("Logging in is paused") in body
    assert "17:15" in body  # 09:00 UTC is 17:00 in Shanghai, plus 15 minutes
    assert int(response["Retry-After"]) == 15 * 60
    assert "wrong-password" not in body


@pytest.mark.clause("WX 4.1.4")
def test_a_success_resets_the_count(client, make_user):
    make_user(username="zhang", password=PASSWORD)

    fail(client, "zhang", 4)
    assert attempt(client, "zhang", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    fail(client, "zhang", 4)
    again = attempt(client, "zhang", PASSWORD)

    assert again.status_code == 302
    assert logged_in(client)


@pytest.mark.clause("WX 4.1.4")
def test_logging_into_ones_own_account_does_not_reset_guesses_at_another(client, make_user):
    make_user(username="victim", password=PASSWORD)
    make_user(username="attacker", password="Attacker-pass-1")

    fail(client, "victim", 4, "10.0.0.66")
    assert attempt(client, "attacker", "Attacker-pass-1", "10.0.0.66").status_code == 302
    client.post("/accounts/logout/", REMOTE_ADDR="10.0.0.66")
    fifth = attempt(client, "victim", "wrong", "10.0.0.66")

    assert fifth.status_code == 429
    assert attempt(client, "victim", PASSWORD, "10.0.0.9").status_code == 429


def test_force_login_in_tests_bypasses_the_lock(client, make_user):
    zhang = make_user(username="zhang", password=PASSWORD)
    fail(client, "zhang", 5)

    client.force_login(zhang)

    assert client.get("/").status_code == 200


# --- password rules -------------------------------------------------------------


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),
        ("abcdefgh12", "password_too_simple"),  # two classes
        ("ABCDEFGH!!", "password_too_simple"),
        ("Password1", "password_too_common"),
        ("Zx!13800138000", "password_contains_mobile"),
        ("Qi#00138000a", "password_contains_mobile"),  # the last 8 digits
        ("Zx!138-0013-8000", "password_contains_mobile"),
    ],
)
def test_weak_passwords_are_refused(make_user, password, code):
    user = give_mobile(make_user(username="zhang"), "13800138000")

    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(password, user)

    assert code in {error.code for error in refused.value.error_list}


@pytest.mark.parametrize("password", ["Qi-Zhan#2026x", "liu zhou 2026 QI", "质量Ab12!xyz"])
def test_strong_passwords_pass(make_user, password):
    user = give_mobile(make_user(username="zhang"), "13800138000")

    password_validation.validate_password(password, user)


def test_the_mobile_rule_needs_no_user(db):
    password_validation.validate_password("Qi#00138000a", None)


def test_the_rules_are_explained_in_chinese():
    with translation.override("zh-hans"):
        texts = password_validation.password_validators_help_texts()
        expected = gettext(
            "Your password must mix at least %(min_classes)d of these: "
            "lower-case letters, upper-case letters, digits and symbols."
        ) % {"min_classes": 3}
        mobile = gettext("Your password must not contain your mobile number.")

    assert expected in texts
    assert mobile in texts


# --- session limits -------------------------------------------------------------


def log_in_by_password(client, make_user, **fields):
    user = make_user(username="zhang", password=PASSWORD, **fields)
    assert attempt(client, "zhang", PASSWORD).status_code == 302
    return user


@pytest.mark.clause("WX 4.1.4")
def test_an_idle_session_ends_after_30_minutes(client, make_user):
    with time_machine.travel(START, tick=False) as clock:
        zhang = log_in_by_password(client, make_user)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        assert logged_in(client)
        clock.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.get("/")
        assert not logged_in(client)

    assert zh("Your session has timed out. Please log in again.") in response.content.decode()
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor_id == zhang.pk
    assert event.changes["reason"] == "idle"
    assert not AuditEvent.objects.filter(action="auth.logout").exists()


def test_activity_keeps_a_session_alive(client, make_user):
    with time_machine.travel(START, tick=False) as clock:
        log_in_by_password(client, make_user)
        for _ in range(9):  # three hours, a page every 20 minutes
            clock.shift(dt.timedelta(minutes=20))
            client.get("/")
        assert logged_in(client)


@pytest.mark.clause("WX 4.1.4")
def test_a_session_ends_12_hours_after_login_however_active(client, make_user):
    with time_machine.travel(START, tick=False) as clock:
        log_in_by_password(client, make_user)
        for _ in range(35):  # 11 h 40 min of steady use
            clock.shift(dt.timedelta(minutes=20))
            client.get("/")
        assert logged_in(client)
        clock.shift(dt.timedelta(minutes=20, seconds=1))
        client.get("/")
        assert not logged_in(client)

    assert AuditEvent.objects.get(action="auth.session_expired").changes["reason"] == "absolute"


def test_an_expired_workbench_session_goes_back_to_the_workbench_login(
    client, make_user, otp_login, regions
):
    with time_machine.travel(START, tick=False) as clock:
        otp_login(make_user("center_staff", "450200"))
        assert client.get("/workbench/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/workbench/")

    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/login/?next=")


def test_the_session_cookie_outlives_no_session():
    assert settings.SESSION_COOKIE_AGE <= settings.ONESTOP_SESSION_ABSOLUTE_SECONDS
    assert settings.ONESTOP_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.ONESTOP_SESSION_ABSOLUTE_SECONDS == 12 * 3600
