"""A visitor browses the service catalog and a station's disclosure page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.e2e.helpers import url_path, zh

pytestmark = pytest.mark.e2e


@pytest.mark.clause("LZ 6.4")
@pytest.mark.clause("WX 4.1.1")
def test_a_visitor_browses_a_category_down_to_a_manual(page, demo, assert_accessible):
    page.goto(demo + "/")
    page.get_by_role("link", name="计量", exact=True).first.click()
    assert url_path(page) == "/services/c/metrology/"
    assert_accessible(page)

    page.get_by_role("link", name="强制检定计量器具登记备案与申请").click()

    main = page.locator("main")
    for heading in ["Acceptance conditions", "Required materials", "Service flow"]:
        expect(main.get_by_role("heading", name=zh(heading))).to_be_visible()
    expect(main).to_contain_text("WX 6.1.3")
    assert_accessible(page)
    page.get_by_role("navigation", name=zh("Breadcrumb")).get_by_role(
        "link", name=zh("Service catalog")
    ).click()
    assert url_path(page) == "/services/"
    expect(page.locator("main .card")).to_have_count(12)
    assert_accessible(page)


@pytest.mark.clause("WX 4.2.4")
@pytest.mark.clause("WX 5.3d")
def test_a_visitor_opens_a_stations_disclosure_page_on_a_phone(
    mobile_page, demo, assert_accessible
):
    page = mobile_page
    page.goto(demo + "/stations/?region=320281")
    assert_accessible(page)
    page.locator("main a[href^='/stations/']").filter(has_text="江阴市市场监督管理局").first.click()

    main = page.locator("main")
    expect(main.locator("a[href^='tel:']").first).to_be_visible()
    expect(main).to_contain_text("延时")  # extended hours (WX 5.3 d) are shown
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, "the disclosure page scrolls sideways on a phone"
    assert_accessible(page)
