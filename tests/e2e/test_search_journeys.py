"""A visitor finds a service by keyword (WX 7.2.1, WX App. A)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from tests.e2e.helpers import url_path, zh

pytestmark = pytest.mark.e2e


@pytest.mark.clause("WX 7.2.1")
def test_a_visitor_finds_pressure_gauge_calibration_at_a_metrology_institute(
    page, demo, assert_accessible
):
    page.goto(demo + "/")
    search = page.get_by_role("search").get_by_role("searchbox")
    search.fill("压力表校准")
    with page.expect_navigation():
        search.press("Enter")
    assert url_path(page) == "/search/"
    results = page.locator("main ol.results > li")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_have_text("压力表")
    assert_accessible(page)

    # Narrow to offerings, then open the first one from a metrology institute.
    page.get_by_label(zh("Show"), exact=True).select_option("offering")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Search"), exact=True).click()
    offering = results.filter(has_text="计量").first
    with page.expect_navigation():
        offering.get_by_role("link").first.click()
    assert url_path(page).startswith("/institutions/offerings/")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("压力表")
    expect(main).to_contain_text("计量")
    assert_accessible(page)


def test_a_search_that_is_too_long_says_so_next_to_the_box(page, demo, assert_accessible):
    page.goto(demo + "/search/?q=" + "检" * 2000)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
