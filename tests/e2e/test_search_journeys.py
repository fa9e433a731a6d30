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


@pytest.mark.clause("WX 7.1.2")
@pytest.mark.clause("WX 7.2.1")
def test_an_enterprise_onboards_publishes_an_offering_and_search_finds_it(
    page, other_page, mobile_page, demo, assert_accessible
):
    from tests.e2e.helpers import demo_account, log_in

    from onestop.catalog.models import ServiceCategory

    # The owner of a verified enterprise applies to onboard (WX 7.1.2).
    log_in(page, demo, demo_account("enterprise_lz"))
    page.goto(demo + "/institutions/mine/")
    with page.expect_navigation():
        page.locator("#apply-link").click()
    assert_accessible(page)
    page.locator("#id_kind").select_option("metrology")
    page.locator("#id_address").fill("柳州市柳南区航鹰大道 18 号")
    page.locator("#id_service_phone").fill("0772-3812345")
    page.locator("#id_q-0-kind").select_option("CMA")
    page.locator("#id_q-0-number").fill("202420120777")
    page.locator("#id_q-0-scope").fill("扭矩扳手、压力表校准")
    page.locator("#id_q-0-issuer").fill("广西壮族自治区市场监督管理局")
    page.locator("#id_q-0-valid_from").fill("2024-03-01")
    page.locator("#id_q-0-valid_to").fill("2030-02-28")
    page.locator("#id_agreement").check()
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Submit for review")).click()
    assert url_path(page) == "/institutions/mine/"

    # The service center approves it within its 3 working days.
    log_in(other_page, demo, demo_account("center_lz"))
    other_page.goto(demo + "/institutions/review/")
    assert_accessible(other_page)
    with other_page.expect_navigation():
        other_page.locator("main table").first.get_by_role(
            "link", name="柳州示范机械有限公司"
        ).click()
    with other_page.expect_navigation():
        other_page.get_by_role("button", name=zh("Approve onboarding")).click()

    # Now active, the institution publishes an offering.
    page.goto(demo + "/institutions/mine/")
    with page.expect_navigation():
        page.locator("#new-offering").click()
    assert_accessible(page)
    category = ServiceCategory.objects.get(code="metrology-verification")
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("#id_name").fill("扭矩扳手校准")
    page.locator("#id_scope").fill("指示式扭力扳手 1–2000 N·m，依据 JJG 707-2014")
    page.locator("#id_qualification").select_option(index=1)
    page.locator("#id_price_min").fill("60")
    page.locator("#id_price_max").fill("150")
    page.locator("#id_turnaround_working_days").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Publish"), exact=True).click()
    assert url_path(page) == "/institutions/mine/"

    # A visitor on a phone finds it by keyword and opens its page.
    visitor = mobile_page
    visitor.goto(demo + "/search/?q=扭矩扳手校准")
    first = visitor.locator("main ol.results > li").first
    expect(first).to_contain_text("柳州示范机械有限公司")
    with visitor.expect_navigation():
        first.get_by_role("link").first.click()
    assert url_path(visitor).startswith("/institutions/offerings/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("扭矩扳手校准")
    assert_accessible(visitor)
