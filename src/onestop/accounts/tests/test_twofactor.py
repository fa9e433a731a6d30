"""Two-factor authentication for staff: TOTP and recovery codes (WX 4.1.2d, WX 4.1.4)."""

import datetime as dt
import re
from base64 import b32decode

import pytest
import time_machine
from django.urls import URLPattern, reverse
from django.utils import translation
from django.utils.translation import gettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.accounts import twofactor
from onestop.audit.models import AuditEvent
from onestop.workbench.urls import urlpatterns as workbench_urlpatterns

PASSWORD = "Right-pass-2026"
START = dt.datetime(2026, 6, 1, 9, 0, 10, tzinfo=dt.UTC)
NOT_2FA_GATED = {"login", "logout", "2fa_setup", "2fa_verify"}


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{totp.token():0{device.digits}d}"


def a_wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


@pytest.fixture
def staff(make_user, regions):
    return make_user("center_staff", "450200", username="zhang", password=PASSWORD)


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def password_login(client, username: str = "zhang"):
    return client.post("/workbench/login/", {"username": username, "password": PASSWORD})


def verified(client) -> bool:
    return client.get("/workbench/").status_code == 200


# --- setting up -----------------------------------------------------------------


@pytest.mark.clause("WX 4.1.2d")
def test_staff_without_a_device_are_sent_to_set_one_up(client, staff):
    response = password_login(client)

    assert response.status_code == 302
    assert response["Location"] == "/workbench/2fa/setup/"
    assert client.get("/workbench/")["Location"].startswith("/workbench/2fa/setup/")


def test_setup_page_shows_the_secret_and_an_inline_qr_code(client, staff):
    password_login(client)

    response = client.get("/workbench/2fa/setup/")

    body = response.content.decode()
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)
    secret = re.search(r'<code class="totp-secret">([A-Z2-7]+)</code>', body).group(1)
    assert response.status_code == 200
    assert b32decode(secret + "=" * (-len(secret) % 8)) == pending.bin_key
    assert "<svg" in body
    assert not re.search(r"""<img[^>]+src=["']https?:""", body)
    assert response["Cache-Control"].startswith("max-age=0")
    # Reloading keeps the same secret (the app may already hold it).
    assert secret in client.get("/workbench/2fa/setup/").content.decode()


@pytest.mark.clause("WX 4.1.2d")
def test_setup_is_confirmed_with_a_code_and_shows_ten_recovery_codes_once(client, staff):
    password_login(client)
    client.get("/workbench/2fa/setup/")
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post("/workbench/2fa/setup/", {"code": code_for(pending)})

    body = response.content.decode()
    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    shown = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", body))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert len(stored) == 10
    assert shown == stored
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert AuditEvent.objects.filter(action="auth.2fa_setup", actor_id=staff.pk).exists()
    assert verified(client)
    again = client.get("/workbench/2fa/setup/")
    assert again.status_code == 302
    assert not any(
        code in client.get("/workbench/2fa/recovery/").content.decode() for code in stored
    )


def test_setup_refuses_a_wrong_code(client, staff):
    password_login(client)
    client.get("/workbench/2fa/setup/")
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)

    response = client.post("/workbench/2fa/setup/", {"code": a_wrong_code(pending)})

    assert response.status_code == 400
    assert zh("The code is wrong, has expired or was already used.") in response.content.decode()
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert AuditEvent.objects.filter(action="auth.2fa_failed").exists()
    assert not verified(client)


@pytest.mark.clause("WX 4.1.2d")
def test_a_stolen_password_cannot_replace_an_existing_device(client, staff, device):
    password_login(client)

    response = client.get("/workbench/2fa/setup/")

    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/2fa/verify/")
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]


# --- verifying ------------------------------------------------------------------


@pytest.mark.clause("WX 4.1.2d")
def test_staff_with_a_device_are_asked_for_a_code(client, staff, device):
    response = password_login(client)

    assert response["Location"] == "/workbench/2fa/verify/"
    assert client.get("/workbench/audit/")["Location"] == (
        "/workbench/2fa/verify/?next=%2Fworkbench%2Faudit%2F"
    )


@pytest.mark.clause("WX 4.1.2d")
def test_a_wrong_totp_code_is_refused(client, staff, device):
    password_login(client)

    response = client.post("/workbench/2fa/verify/", {"code": a_wrong_code(device)})

    assert response.status_code == 400
    assert zh("The code is wrong, has expired or was already used.") in response.content.decode()
    assert not verified(client)
    failed = AuditEvent.objects.get(action="auth.2fa_failed")
    assert failed.actor_id == staff.pk
    assert failed.changes["reason"] == "wrong_code"


@pytest.mark.clause("WX 4.1.2d")
def test_the_right_totp_code_admits(client, staff, device):
    password_login(client)
    client.get("/workbench/audit/")
    key_before = client.session.session_key

    response = client.post(
        "/workbench/2fa/verify/", {"code": code_for(device), "next": "/workbench/sla/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/workbench/sla/"
    assert client.session.session_key != key_before  # a new key once fully logged in
    assert verified(client)
    assert AuditEvent.objects.get(action="auth.2fa_verified").changes == {"method": "totp"}


def test_verify_does_not_redirect_off_site(client, staff, device):
    password_login(client)

    response = client.post(
        "/workbench/2fa/verify/", {"code": code_for(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/workbench/"


def test_a_totp_code_works_only_once(client, staff, device):
    with time_machine.travel(START, tick=False):
        password_login(client)
        code = code_for(device)
        client.post("/workbench/2fa/verify/", {"code": code})
        client.post("/workbench/logout/")
        password_login(client)

        replay = client.post("/workbench/2fa/verify/", {"code": code})

        assert replay.status_code == 400
        assert not verified(client)


@pytest.mark.clause("WX 4.1.4")
def test_guessing_codes_is_slowed_down(client, staff, device):
    with time_machine.travel(START, tick=False) as clock:
        password_login(client)
        client.post("/workbench/2fa/verify/", {"code": a_wrong_code(device)})
        clock.shift(dt.timedelta(seconds=1))
        client.post("/workbench/2fa/verify/", {"code": a_wrong_code(device)})
        # Two failures: the next try must wait 2 s; even the right code waits.
        throttled = client.post("/workbench/2fa/verify/", {"code": code_for(device)})
        clock.shift(dt.timedelta(seconds=2))
        later = client.post("/workbench/2fa/verify/", {"code": code_for(device)})

        assert throttled.status_code == 429
        body = throttled.content.decode()
        with translation.override("zh-hans"):
            assert str(twofactor.SecondFactorThrottled(START + dt.timedelta(seconds=3))) in body
        assert later.status_code == 302
        assert verified(client)


@pytest.mark.clause("WX 4.1.2d")
def test_a_recovery_code_works_once(client, staff, device):
    codes = twofactor._recovery_codes_replace(staff)
    password_login(client)

    used = client.post("/workbench/2fa/verify/", {"code": codes[0].upper()})
    assert used.status_code == 302
    assert verified(client)
    client.post("/workbench/logout/")
    password_login(client)
    reused = client.post("/workbench/2fa/verify/", {"code": codes[0]})

    assert reused.status_code == 400
    assert not verified(client)
    event = AuditEvent.objects.get(action="auth.recovery_code_used")
    assert event.actor_id == staff.pk
    assert event.changes == {"left": 9}
    assert AuditEvent.objects.filter(
        action="auth.2fa_verified", changes={"method": "recovery_code"}
    ).exists()


def test_recovery_codes_are_renewed_with_a_current_code(client, staff, device, otp_login):
    old = twofactor._recovery_codes_replace(staff)
    with time_machine.travel(START, tick=False) as clock:
        otp_login(staff)

        refused = client.post("/workbench/2fa/recovery/", {"code": a_wrong_code(device)})
        clock.shift(dt.timedelta(seconds=1))  # the throttle's wait after one wrong code
        renewed = client.post("/workbench/2fa/recovery/", {"code": code_for(device)})

    assert refused.status_code == 400
    assert renewed.status_code == 200
    new = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(new) == 10
    assert not new & set(old)
    assert AuditEvent.objects.filter(action="auth.recovery_codes_regenerated").exists()


# --- who is asked ---------------------------------------------------------------


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize("role", ["individual", "enterprise"])
def test_public_users_are_not_asked_for_a_second_factor(client, make_user, regions, role):
    make_user(role, "450202", username="pub", password=PASSWORD)

    login = client.post("/accounts/login/", {"username": "pub", "password": PASSWORD})

    assert login["Location"] == "/"
    assert client.get("/inbox/").status_code == 200
    assert client.get("/workbench/").status_code == 403  # not a redirect to 2FA


@pytest.mark.clause("WX 4.1.2d")
def test_staff_logged_in_on_the_public_site_still_need_the_second_factor(client, staff, device):
    client.post("/accounts/login/", {"username": "zhang", "password": PASSWORD})

    assert client.get("/").status_code == 200
    assert client.get("/workbench/")["Location"].startswith("/workbench/2fa/verify/")


@pytest.mark.clause("WX 4.1.2d")
def test_a_new_password_login_needs_a_new_second_factor(client, staff, device, otp_login):
    otp_login(staff)
    assert verified(client)

    password_login(client)

    assert not verified(client)


def _gated_workbench_urls() -> list[str]:
    return [
        reverse(f"workbench:{pattern.name}")
        for pattern in workbench_urlpatterns
        if isinstance(pattern, URLPattern) and pattern.name not in NOT_2FA_GATED
    ]


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize("with_device", [True, False], ids=["device", "no-device"])
def test_every_workbench_page_sends_a_password_only_staff_session_to_2fa(
    client, make_user, regions, with_device
):
    admin = make_user("sysadmin", username="root", password=PASSWORD)  # holds every permission
    if with_device:
        TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    password_login(client, "root")
    expected = "/workbench/2fa/verify/" if with_device else "/workbench/2fa/setup/"
    urls = _gated_workbench_urls()
    assert len(urls) >= 7

    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(expected), url
