"""User journeys through the public site and the workbench, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from onestop.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount

KEYBOARD_ONLY = {"center_lz", "individual_lz"}  # one account per login form, no mouse


def zh(message: Any) -> str:
    """A UI string as the server renders it in Chinese (the default language)."""
    with translation.override("zh-hans"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


def url_path(page: Any) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]


def fill_login_by_keyboard(page: Any, username: str, password: str) -> None:
    """Tab from the top of the page to the username field, type, Tab, type, Enter."""
    for _ in range(30):
        if page.evaluate("document.activeElement && document.activeElement.name") == "username":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the username field")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(password)
    page.keyboard.press("Enter")


def log_in(page: Any, base: str, account: DemoAccount, *, keyboard: bool = False) -> None:
    door = "/workbench/login/" if account.where == "workbench" else "/accounts/login/"
    page.goto(base + door)
    if keyboard:
        with page.expect_navigation():
            fill_login_by_keyboard(page, account.username, DEMO_PASSWORD)
        return
    page.get_by_label(zh("Username")).fill(account.username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Log in"), exact=True).click()


def log_out(page: Any) -> None:
    with page.expect_navigation():
        page.locator("header form[action$='/logout/'] button[type=submit]").click()


@pytest.mark.clause("WX 4.1.2b")
@pytest.mark.clause("LZ 6.3.2")
def test_home_in_chinese_then_english(page, demo, assert_accessible):
    page.goto(demo + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(page).to_have_title(re.compile(re.escape(settings.ONESTOP_PLATFORM_NAME)))
    expect(page.get_by_role("heading", level=1)).to_have_text(settings.ONESTOP_PLATFORM_NAME)
    nav = page.get_by_role("navigation", name=zh("Main navigation"))
    expect(nav.get_by_role("link", name="首页")).to_be_visible()
    expect(nav.get_by_role("link", name="关于")).to_be_visible()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()
    # LZ 6.3.2: the header carries the brand blue with the brand red beneath it.
    header = page.locator("header.site-header")
    colours = header.evaluate(
        "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).borderBottomColor]"
    )
    assert colours == ["rgb(0, 13, 181)", "rgb(255, 0, 0)"]
    assert_accessible(page)

    page.locator("select#language-select").select_option("en")
    with page.expect_navigation():
        page.locator("form.language-form button[type=submit]").click()
    expect(html).to_have_attribute("lang", "en")
    assert url_path(page) == "/"
    nav = page.get_by_role("navigation", name="Main navigation")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="About", exact=True)).to_be_visible()
    expect(page.locator("header").get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)


@pytest.mark.clause("WX 4.1.2d")
@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.username)
def test_demo_account_logs_in_and_out(page, demo, account):
    log_in(page, demo, account, keyboard=account.username in KEYBOARD_ONLY)
    who = page.locator("header .who")
    expect(who).to_have_text(account.display_name)
    if account.where == "workbench":
        assert url_path(page) == "/workbench/"
        expect(page.locator("main")).to_contain_text(zh(account.role.label))
        log_out(page)
        assert url_path(page) == "/workbench/login/"
    else:
        assert url_path(page) == "/"
        expect(page.get_by_role("heading", level=1)).to_have_text(settings.ONESTOP_PLATFORM_NAME)
        log_out(page)
        assert url_path(page) == "/"
        expect(page.locator("header").get_by_role("link", name=zh("Log in"))).to_be_visible()
    expect(who).to_have_count(0)
    # Logged out for real: the workbench sends us back to its login.
    page.goto(demo + "/workbench/")
    assert url_path(page) == "/workbench/login/"


@pytest.mark.clause("WX 4.1.2d")
def test_public_account_is_refused_by_the_workbench(page, demo):
    enterprise = next(a for a in DEMO_ACCOUNTS if a.where == "public")
    page.goto(demo + "/workbench/login/")
    page.get_by_label(zh("Username")).fill(enterprise.username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Log in"), exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(
        zh("This account has no workbench role. Use the public site's login instead.")
    )
    assert url_path(page) == "/workbench/login/"
    expect(page.locator("header .who")).to_have_count(0)
    page.goto(demo + "/workbench/")
    assert url_path(page) == "/workbench/login/"


@pytest.mark.clause("WX 4.1.2d")
def test_station_staff_cannot_open_the_audit_log(page, demo):
    from onestop.accounts.authz import NotAllowed

    station = next(a for a in DEMO_ACCOUNTS if a.username == "station_jy")
    log_in(page, demo, station)
    assert url_path(page) == "/workbench/"
    response = page.goto(demo + "/workbench/audit/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text(zh(NotAllowed.default_message))
    expect(page.locator("table")).to_have_count(0)


@pytest.mark.clause("WX 4.1.2d")
def test_admin_reads_and_filters_the_audit_log(page, demo, assert_accessible):
    admin = next(a for a in DEMO_ACCOUNTS if a.username == "admin")
    log_in(page, demo, admin)
    assert url_path(page) == "/workbench/"
    page.goto(demo + "/workbench/audit/")
    rows = page.locator("main table tbody tr")
    actions = page.locator("main table tbody tr td:nth-child(4) code")
    login_row = rows.filter(has=page.locator("code", has_text=re.compile(r"^auth\.login$")))
    expect(login_row.first).to_be_visible()
    expect(login_row.first).to_contain_text(admin.display_name)
    assert len(set(actions.all_inner_texts())) > 1  # the demo load left other events too
    assert_accessible(page)

    page.get_by_label(zh("Action"), exact=True).fill("auth.login")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Filter")).click()
    assert "action=auth.login" in page.url
    expect(login_row.first).to_be_visible()
    texts = actions.all_inner_texts()
    assert texts
    assert all(text.startswith("auth.login") for text in texts), texts
    expect(page.get_by_label(zh("Action"), exact=True)).to_have_value("auth.login")
    assert_accessible(page)
    # On a phone the wide table scrolls inside its own keyboard-reachable region.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    response = page.goto(demo + "/workbench/audit/?date_from=2026-13-01")
    assert response.status == 400
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link", name=zh("From"))).to_have_attribute("href", "#id_date_from")
    assert_accessible(page)


@pytest.mark.clause("WX 4.1.2b")
def test_home_fits_a_phone(mobile_page, demo, assert_accessible):
    page = mobile_page
    page.goto(demo + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(settings.ONESTOP_PLATFORM_NAME)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a 390px-wide phone"
    assert_accessible(page)
