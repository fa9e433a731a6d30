"""The annual summary and the improvement plan in the browser (issue 6 item 7):
WX 8.1.3 (annual summary, dissatisfaction analysed), WX 8.2 (improvement plan,
re-checks published), HM 5.3."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect
from tests.e2e.helpers import demo_account, log_in, url_path, zh

from onestop.catalog.tests.test_manual_pdf import assert_real_glyphs, glyphs, pages_text

pytestmark = pytest.mark.e2e

GENERATION_MS = 90_000  # the task runs in the request (embedded profile): PDF and workbook


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def request_summary(page, *, region: str, year: int) -> None:
    form = page.locator("#request-form")
    form.locator("select[name=region]").select_option(value=region)
    form.locator("input[name=year]").fill(str(year))
    with page.expect_navigation(timeout=GENERATION_MS):
        form.locator("button[type=submit]").click()


@pytest.mark.clause("WX 8.1.3")
@pytest.mark.clause("HM 5.3")
def test_staff_request_the_annual_summary_watch_it_and_download_the_pdf(
    page, demo, tmp_path, assert_accessible
):
    from onestop.accounts.models import User
    from onestop.regions.models import Region
    from onestop.summaries.models import AnnualSummary
    from onestop.summaries.tasks import generate_summary

    log_in(page, demo, demo_account("center_lz"))
    last_year = dt.date.today().year - 1
    page.goto(demo + "/summaries/manage/")
    assert_accessible(page)

    # Last year's summary: generated while the request runs (embedded profile).
    request_summary(page, region="450200", year=last_year)
    assert url_path(page).startswith("/summaries/manage/")
    expect(page.locator("#summary-state")).to_have_attribute("data-status", "done")
    expect(page.locator("#summary-progress")).to_have_attribute("value", "100")
    expect(page.locator("#summary-steps li")).to_have_count(5)
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.locator("#download-pdf").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert "柳州市" in download.suggested_filename
    saved = tmp_path / "summary.pdf"
    download.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert "柳州市" in pages_text(pdf)[0]
    # Page 1 rendered to test-artifacts/annual-summary-page1.png: its Chinese has ink.
    assert_real_glyphs(glyphs(pdf, "柳州市", save_as="annual-summary-page1.png"))

    # A colleague's summary of this year waits for a worker: the page shows
    # the progress and refreshes itself until it is ready.
    colleague = AnnualSummary.objects.create(
        region=Region.objects.get(code="450200"),
        year=last_year + 1,
        provisional=True,
        period_end=dt.date.today(),
        requested_by=User.objects.get(username="admin"),
    )
    page.goto(demo + f"/summaries/manage/{colleague.pk}/")
    expect(page.locator("#summary-state")).to_have_attribute("data-status", "queued")
    expect(page.locator("#summary-progress")).to_be_visible()
    expect(page.locator("#summary-step")).to_have_attribute("data-step", "queued")
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    # axe counts any timed refresh as a violation; the page offers to stop it
    # (WCAG 2.2.1), and without it the page passes.
    with page.expect_navigation():
        page.locator("#refresh-off").click()
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    expect(page.locator("#refresh-now")).to_be_visible()
    assert_accessible(page)

    # A second request for the same year is refused while it waits.
    page.goto(demo + "/summaries/manage/")
    request_summary(page, region="450200", year=last_year + 1)
    expect(page.locator("#request-form .error-summary")).to_be_visible()
    assert AnnualSummary.objects.filter(year=last_year + 1).count() == 1

    # The worker runs it; the open page refreshes into the finished state.
    page.goto(demo + f"/summaries/manage/{colleague.pk}/")
    generate_summary.delay(colleague.pk)
    expect(page.locator("#summary-state")).to_have_attribute("data-status", "done", timeout=15_000)
    expect(page.locator("#summary-kind")).to_have_attribute("data-provisional", "true")
    expect(page.locator("#publish-form")).to_have_count(0)


@pytest.mark.clause("WX 8.2")
def test_the_improvement_plan_is_published_and_its_recheck_shown_to_the_public(
    page, other_page, demo, assert_accessible
):
    visitor = other_page
    last_year = dt.date.today().year - 1
    log_in(page, demo, demo_account("center_hm"))

    # The plan: one item, entered on the plan page (Hami: the demo plan is Liuzhou's).
    page.goto(demo + "/summaries/manage/")
    plan_form = page.locator("#plan-form")
    plan_form.locator("select[name=region]").select_option(value="650500")
    plan_form.locator("input[name=year]").fill(str(last_year))
    with page.expect_navigation():
        plan_form.locator("button[type=submit]").click()
    assert url_path(page) == f"/summaries/manage/plan/650500/{last_year}/"
    assert_accessible(page)
    form = page.locator("#item-form")
    form.locator("textarea[name=problem]").fill("检测报告出具超时，用户多次催办")
    form.locator("textarea[name=measure]").fill("建立报告时限提醒，超期自动提示科室负责人")
    form.locator("input[name=owner]").fill("计量科")
    form.locator("input[name=due_on]").fill(f"{last_year + 1}-03-31")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#items tbody tr")).to_have_count(1)
    expect(page.locator("#item-1")).to_have_attribute("data-state", "planned")

    # The summary of the year, published with the plan.
    page.goto(demo + "/summaries/manage/")
    request_summary(page, region="650500", year=last_year)
    with page.expect_navigation():
        page.locator("#publish-form button[type=submit]").click()
    expect(page.locator("#summary-published")).to_be_visible()

    public = demo + f"/summaries/650500/{last_year}/"
    visitor.goto(public)
    expect(visitor.locator("#item-1")).to_have_attribute("data-state", "planned")
    expect(visitor.locator("main")).to_contain_text("检测报告出具超时")
    assert_accessible(visitor)

    # The item is worked on and re-checked; the public page shows the result.
    page.goto(demo + f"/summaries/manage/plan/650500/{last_year}/")
    with page.expect_navigation():
        page.locator("#item-1 a").click()
    expect(page.locator("#item-form")).to_have_count(0)  # published: wording frozen
    for action in ("start", "complete"):
        with page.expect_navigation():
            page.locator(f"#move-{action} button[type=submit]").click()
    recheck = page.locator("#move-recheck")
    recheck.get_by_label(zh("Re-check result")).fill("抽查 20 份报告均按时出具")
    with page.expect_navigation():
        recheck.locator("button[type=submit]").click()
    expect(page.locator("#item-state")).to_have_attribute("data-state", "rechecked")
    assert_accessible(page)

    visitor.reload()
    expect(visitor.locator("#item-1")).to_have_attribute("data-state", "rechecked")
    expect(visitor.locator("#item-1 .item-recheck")).to_contain_text("抽查 20 份报告均按时出具")
    visitor.goto(demo + "/summaries/")
    listed = visitor.locator(f"#plans a[href$='/summaries/650500/{last_year}/']")
    expect(listed).to_have_count(1)
