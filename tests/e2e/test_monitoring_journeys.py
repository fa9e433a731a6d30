"""Running status and remote technical support in the browser (WX 4.1.2 c):
a station's staff member asks for help with a screenshot, the system
administrator answers from the status page, the staff member reads the reply."""

from __future__ import annotations

import pytest
from helpers import demo_account, log_in, png_file, url_path, zh
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SUBJECT = "样品登记页面提交后报错"
REPLY = "已修复样品登记的问题，请刷新页面后重新提交。"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.mark.clause("WX 4.1.2c")
def test_an_administrator_answers_a_station_support_request_from_the_status_page(
    page, other_page, demo, tmp_path, assert_accessible
):
    # A station's staff member asks for help from the page that failed.
    log_in(page, demo, demo_account("station_jy"))
    page.goto(demo + "/monitoring/support/new/?from=/fieldwork/samples/")
    assert_accessible(page)
    form = page.locator("#support-form")
    form.locator("input[name=subject]").fill(SUBJECT)
    form.locator("textarea[name=description]").fill("点击“登记”后出现错误页面。")
    form.locator("input[name=screenshot]").set_input_files(str(png_file(tmp_path, "screen.png")))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert url_path(page).startswith("/monitoring/support/")
    expect(page.locator("#support-status")).to_have_attribute("data-status", "open")

    # The administrator sees the platform's state and the request on the status page.
    admin = other_page
    log_in(admin, demo, demo_account("admin"))
    admin.goto(demo + "/monitoring/")
    assert_accessible(admin)
    expect(admin.locator("#check-database")).to_have_attribute("data-state", "ok")
    expect(admin.locator("#check-database")).to_contain_text(zh("Normal"))
    with admin.expect_navigation():
        admin.locator("#support-queue").get_by_role("link", name=SUBJECT).click()
    expect(admin.locator("main")).to_contain_text("/fieldwork/samples/")
    expect(admin.locator("main")).to_contain_text("HeadlessChrome")
    assert_accessible(admin)
    admin.locator("#answer-form textarea[name=reply]").fill(REPLY)
    with admin.expect_navigation():
        admin.locator("#answer-form button[type=submit]").click()
    expect(admin.locator("#support-status")).to_have_attribute("data-status", "answered")

    # The staff member finds the answer in the inbox and opens the request.
    page.goto(demo + "/inbox/")
    title = zh("Your technical support request “%(subject)s” has been answered") % {
        "subject": SUBJECT
    }
    notice = page.locator("ul.inbox li").filter(has_text=title)
    expect(notice).to_contain_text(REPLY)
    with page.expect_navigation():
        notice.locator("button[type=submit]").click()
    assert url_path(page).startswith("/monitoring/support/")
    expect(page.locator("#support-reply")).to_have_text(REPLY)
    assert_accessible(page)
