"""Publication of results (WX 8.1.1, 8.1.2, HM 5.3): the Wuxi authority
reviews the dashboard and publishes the second quarter; a visitor finds the
snapshot, reads its tables and downloads them as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from tests.e2e.helpers import demo_account, log_in, zh

pytestmark = pytest.mark.e2e


@pytest.mark.clause("WX 8.1.1")
@pytest.mark.clause("WX 8.1.2")
@pytest.mark.clause("HM 5.3")
def test_the_authority_publishes_a_quarter_and_a_visitor_reads_it(
    page, other_page, demo, assert_accessible
):
    authority, visitor = page, other_page
    log_in(authority, demo, demo_account("authority_wx"))

    # The dashboard for the quarter, charts drawn on the server.
    authority.goto(demo + "/statistics/?region=320200&kind=quarter&year=2026&quarter=2")
    expect(authority.locator("#board-title")).to_contain_text("无锡市")
    expect(authority.locator("svg").first).to_be_visible()
    assert_accessible(authority)

    # Publish the second quarter of 2026 for Wuxi.
    authority.goto(demo + "/statistics/publish/")
    form = authority.locator("#publish-form")
    form.locator("select[name=region]").select_option("320200")
    form.locator("select[name=kind]").select_option("quarter")
    form.locator("select[name=year]").select_option("2026")
    form.locator("select[name=quarter]").select_option("2")
    form.locator("textarea[name=remarks]").fill("第二季度办结服务的用户满意度评价结果。")
    with authority.expect_navigation():
        form.get_by_role("button", name=zh("Publish")).click()
    expect(authority.locator("h1")).to_contain_text("2026")
    snapshot_path = authority.url.split(demo, 1)[1]

    # A visitor, not logged in, finds it in the list and reads it.
    visitor.goto(demo + "/statistics/published/?region=320200")
    row = visitor.locator("#published tbody tr").filter(has_text="2026-04-01")
    expect(row).to_have_count(1)
    with visitor.expect_navigation():
        row.get_by_role("link").first.click()
    assert visitor.url.endswith(snapshot_path)
    expect(visitor.locator("#remarks")).to_contain_text("第二季度")
    expect(visitor.locator("table").first).to_be_visible()
    assert_accessible(visitor)
    body = visitor.content()
    assert "历史用户" not in body  # no rater is named in public results

    # Its data as CSV (UTF-8 with BOM, for Excel).
    href = visitor.locator("#csv-link").get_attribute("href")
    response = visitor.request.get(demo + href)
    assert response.status == 200
    text = response.body().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 5
    assert "历史用户" not in text
