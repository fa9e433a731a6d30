"""User journeys through the public site and the workbench, in a real browser."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from helpers import (
    current_totp,
    enter_second_factor,
    log_in,
    log_in_with_password,
    log_out,
    url_path,
    zh,
)
from playwright.sync_api import expect

from onestop.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoAccount

KEYBOARD_ONLY = {"center_lz", "individual_lz"}  # one account per login form, no mouse


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
    page.get_by_label(zh("Username or mobile number")).fill(enterprise.username)
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
def test_staff_login_is_refused_without_the_totp_code(page, demo, assert_accessible):
    admin = next(a for a in DEMO_ACCOUNTS if a.username == "admin")
    log_in_with_password(page, demo, admin)
    assert url_path(page) == "/workbench/2fa/verify/"
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Two-factor authentication"))
    assert_accessible(page)
    # The password alone opens no workbench page, and the menu offers none.
    for path in ["/workbench/", "/workbench/audit/", "/workbench/calendar/"]:
        page.goto(demo + path)
        assert url_path(page) == "/workbench/2fa/verify/", path
    expect(page.locator("header nav").get_by_role("link", name=zh("Audit log"))).to_have_count(0)

    page.get_by_label(zh("Verification code")).fill("12345")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Verify"), exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(zh("The code is wrong, has expired or was already used."))
    assert_accessible(page)
    page.goto(demo + "/workbench/audit/")
    assert url_path(page) == "/workbench/2fa/verify/"

    enter_second_factor(page, current_totp(admin.username))
    assert url_path(page) == "/workbench/audit/"  # where the last refused visit wanted to go
    expect(page.locator("main table")).to_be_visible()
    expect(page.locator("header nav").get_by_role("link", name=zh("Audit log"))).to_be_visible()


@pytest.mark.clause("WX 4.1.2d")
def test_new_staff_set_up_two_factor_on_first_login(page, demo, assert_accessible):
    from onestop.accounts.models import Role
    from onestop.accounts.services import role_grant, user_create
    from onestop.regions.models import Region

    newcomer = user_create(
        actor=None, username="newcomer", password=DEMO_PASSWORD, display_name="新同事 孙丽"
    )
    role_grant(
        actor=None, user=newcomer, role=Role.CENTER_STAFF, region=Region.objects.get(code="450200")
    )
    account = DemoAccount("newcomer", "新同事 孙丽", Role.CENTER_STAFF, "450200", "workbench")
    log_in_with_password(page, demo, account)
    assert url_path(page) == "/workbench/2fa/setup/"
    expect(page.locator(".qr svg")).to_be_visible()
    assert_accessible(page)

    # The secret as typed into an app by hand gives the code that confirms it.
    secret = page.locator("code.totp-secret").inner_text()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label(zh("6-digit code from the app")).fill(f"{TOTP(key).token():06d}")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Confirm"), exact=True).click()

    codes = page.locator("ol.recovery-codes li code")
    expect(codes).to_have_count(10)
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=zh("I have noted the codes; continue")).click()
    assert url_path(page) == "/workbench/"
    expect(page.locator("header .who")).to_have_text("新同事 孙丽")


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
