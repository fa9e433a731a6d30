"""Steps shared by the browser journeys: logging in (with the TOTP code), registering
with the SMS code, and the Chinese UI strings to find things by.

Imported by name from the journeys (``from helpers import ...``): pytest puts
this directory on sys.path because tests/e2e/ is not a package.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount

_SIX_DIGITS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def zh(message: Any) -> str:
    """A UI string as the server renders it in Chinese (the default language)."""
    with translation.override("zh-hans"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def url_path(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def demo_account(username: str) -> DemoAccount:
    return next(account for account in DEMO_ACCOUNTS if account.username == username)


# --- logging in ---------------------------------------------------------------


def tab_to(page: Any, name: str) -> None:
    """Press Tab until the form field called ``name`` has the focus."""
    for _ in range(30):
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached the {name} field")


def fill_login_by_keyboard(page: Any, username: str, password: str) -> None:
    """Tab from the top of the page to the username field, type, Tab, type, Enter."""
    tab_to(page, "username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def current_totp(username: str) -> str:
    """The code the account's authenticator app shows now (its device is in the database).

    A code is accepted once: if this time step's code was already used, the
    next step's (within the one-step tolerance) is given instead.
    """
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.drift += max(0, device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def enter_second_factor(page: Any, code: str, *, keyboard: bool = False) -> None:
    assert url_path(page) == "/workbench/2fa/verify/"
    if keyboard:
        tab_to(page, "code")
        page.keyboard.type(code)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return
    page.get_by_label(zh("Verification code")).fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Verify"), exact=True).click()


def log_in_with_password(
    page: Any,
    base: str,
    account: DemoAccount,
    *,
    keyboard: bool = False,
    password: str = DEMO_PASSWORD,
) -> None:
    door = "/workbench/login/" if account.where == "workbench" else "/accounts/login/"
    page.goto(base + door)
    if keyboard:
        with page.expect_navigation():
            fill_login_by_keyboard(page, account.username, password)
        return
    page.get_by_label(zh("Username or mobile number")).fill(account.username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Log in"), exact=True).click()


def log_in(page: Any, base: str, account: DemoAccount, *, keyboard: bool = False) -> None:
    """Password, then (workbench accounts) the TOTP code, as a person would."""
    log_in_with_password(page, base, account, keyboard=keyboard)
    if account.where == "workbench":
        enter_second_factor(page, current_totp(account.username), keyboard=keyboard)


def log_out(page: Any) -> None:
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button[type=submit]").click()


# --- registering --------------------------------------------------------------


def ensure_privacy_notice() -> None:
    """The privacy notice a data migration publishes; transactional tests flush it."""
    from importlib import import_module

    from django.apps import apps

    import_module("onestop.accounts.migrations.0004_privacy_notice_2026_11").create(apps, None)


def sms_code_sent_to(mobile: str) -> str:
    """The 6-digit code in the last text the (in-memory) SMS gateway sent to ``mobile``."""
    from onestop.notifications.sms import MemorySmsGateway

    texts = [sms.text for sms in MemorySmsGateway.outbox if sms.mobile == mobile]
    assert texts, f"no text message was sent to {mobile}"
    found = _SIX_DIGITS.search(texts[-1])
    assert found, f"no 6-digit code in {texts[-1]!r}"
    return found.group(1)


def register(
    page: Any,
    base: str,
    *,
    mobile: str,
    kind: str,
    display_name: str,
    password: str,
    region_label: str,
    assert_accessible: Any = None,
) -> None:
    """Both registration steps as a person does them; ends logged in on the home page.

    ``kind`` is the radio's label ("Individual user" / "Enterprise user");
    ``region_label`` the option's text, e.g. "城中区（柳州市）".
    """
    page.goto(base + "/accounts/register/")
    if assert_accessible is not None:
        assert_accessible(page)
    page.get_by_label(zh("Mobile number")).fill(mobile)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Send verification code")).click()
    assert url_path(page) == "/accounts/register/details/", page.url
    if assert_accessible is not None:
        assert_accessible(page)

    form = page.locator("main form.stack")
    form.get_by_label(zh(kind), exact=True).check()
    form.get_by_label(zh("Verification code")).fill(sms_code_sent_to(mobile))
    form.get_by_label(zh("Display name")).fill(display_name)
    form.locator("input[name=password1]").fill(password)
    form.locator("input[name=password2]").fill(password)
    form.locator("select[name=region]").select_option(label=region_label)
    form.get_by_label(zh("I have read and accept the privacy notice")).check()
    with page.expect_navigation():
        form.get_by_role("button", name=zh("Register"), exact=True).click()
    assert url_path(page) == "/", page.locator("main").inner_text()
    page.locator("header .who").filter(has_text=display_name).wait_for()


# --- uploads ------------------------------------------------------------------


def png_file(directory: Path, name: str, colour: tuple[int, int, int] = (200, 40, 40)) -> Path:
    """A small real PNG (a 'scan') written to ``directory``."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(buffer, "PNG")
    path = directory / name
    path.write_bytes(buffer.getvalue())
    return path
