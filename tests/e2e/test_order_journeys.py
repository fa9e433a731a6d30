"""WX Appendix A end to end, both branches (issue 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from tests.e2e.helpers import (
    demo_account,
    ensure_privacy_notice,
    log_in,
    png_file,
    sms_code_sent_to,
    url_path,
    zh,
)

pytestmark = pytest.mark.e2e

ARTIFACTS = Path("test-artifacts")
PASSWORD = "Qi-demo-2026!"
ID_NUMBER = "450202199003071233"


@pytest.fixture(autouse=True)
def _fresh_outbox_and_private_media(settings, tmp_path):
    from onestop.notifications.sms import MemorySmsGateway

    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    MemorySmsGateway.outbox.clear()


def act(page, action: str, note: str = "") -> None:
    """Press one of the order's next-step buttons (with its note, if any)."""
    form = page.locator(f"#action-{action}")
    if note:
        form.locator("textarea").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def pickup_code_sent_to(mobile: str) -> str:
    """The pick-up code from the newest text to ``mobile`` that carries one."""
    from onestop.notifications.sms import MemorySmsGateway

    for sms in reversed(MemorySmsGateway.outbox):
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", sms.text)
        if sms.mobile == mobile and found:
            return found.group(1)
    raise AssertionError(f"no pick-up code was sent to {mobile}")


def timeline_screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#timeline").screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.mark.clause("WX A")
@pytest.mark.clause("HM 4.3.4.1")
@pytest.mark.clause("WX 4.1.2a")  # found, ordered, served and reported online, in one place
def test_a_visitor_finds_registers_is_verified_orders_and_the_report_comes_back(
    page, other_page, mobile_page, demo, tmp_path, assert_accessible
):
    ensure_privacy_notice()
    visitor, reviewer, lab = page, other_page, mobile_page

    # Search → match → select (WX App. A).
    visitor.goto(demo + "/search/?q=压力表校准&kind=offering&region=450200")
    result = visitor.locator("main ol.results > li").filter(has_text="柳州市计量技术测试研究所")
    with visitor.expect_navigation():
        result.first.get_by_role("link").first.click()
    assert url_path(visitor).startswith("/institutions/offerings/")

    # Not a member: register, and come back to the order form.
    with visitor.expect_navigation():
        visitor.locator("#order-membership").get_by_role("link", name=zh("Register")).click()
    visitor.get_by_label(zh("Mobile number")).fill("13700000009")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=zh("Send verification code")).click()
    form = visitor.locator("main form.stack")
    form.get_by_label(zh("Individual user"), exact=True).check()
    form.get_by_label(zh("Verification code")).fill(sms_code_sent_to("13700000009"))
    form.get_by_label(zh("Display name")).fill("覃先生")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("select[name=region]").select_option(label="城中区（柳州市）")
    form.get_by_label(zh("I have read and accept the privacy notice")).check()
    with visitor.expect_navigation():
        form.get_by_role("button", name=zh("Register"), exact=True).click()
    assert re.fullmatch(r"/orders/new/\d+/", url_path(visitor)), visitor.url
    order_form_url = visitor.url
    expect(visitor.locator("#verification-required")).to_be_visible()

    # Verified by the service center (real name).
    visitor.goto(demo + "/verification/individual/")
    visitor.get_by_label(zh("Real name")).fill("覃明")
    visitor.get_by_label(zh("ID number")).fill(ID_NUMBER)
    visitor.get_by_label(zh("Scan of the ID card (both sides)")).set_input_files(
        png_file(tmp_path, "id-card.png")
    )
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=zh("Submit for review"), exact=True).click()
    log_in(reviewer, demo, demo_account("center_lz"))
    reviewer.goto(demo + "/verification/review/")
    row = reviewer.locator("main table tbody tr").filter(has_text="覃先生")
    with reviewer.expect_navigation():
        row.get_by_role("link").click()
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name=zh("Approve"), exact=True).click()

    # Order.
    visitor.goto(order_form_url)
    assert_accessible(visitor)
    visitor.get_by_label(zh("What do you need?")).fill(
        "一般压力表 3 块（0–1.6 MPa），需出具校准证书，下周内完成。"
    )
    visitor.get_by_label(zh("Contact person")).fill("覃先生")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name=zh("Submit the order")).click()
    assert re.fullmatch(r"/orders/DD\d+/", url_path(visitor)), visitor.url
    order_url = visitor.url
    number = url_path(visitor).split("/")[2]

    # The institution accepts, works, attaches the report and delivers.
    log_in(lab, demo, demo_account("institution_lz"))
    lab.goto(demo + f"/orders/institution/{number}/")
    assert_accessible(lab)
    act(lab, "accept")
    act(lab, "start")
    report = tmp_path / "report.png"
    report.write_bytes(png_file(tmp_path, "r.png").read_bytes())
    lab.locator("#attach-form select").select_option("report")
    lab.locator("#attach-form input[type=file]").set_input_files(report)
    with lab.expect_navigation():
        lab.locator("#attach-form button[type=submit]").click()
    act(lab, "deliver")

    # The user sees the progress and the report, and confirms completion.
    visitor.goto(order_url)
    timeline = visitor.locator("#timeline > li")
    expect(timeline).to_have_count(4)  # placed, accepted, in service, delivered
    act(visitor, "complete")
    expect(timeline).to_have_count(5)
    expect(visitor.locator("main")).to_contain_text(zh("Completed"))
    assert_accessible(visitor)
    timeline_screenshot(visitor, "order-timeline-self-matching")


@pytest.mark.clause("WX A")
@pytest.mark.clause("WX 7.2.2.1.1", "WX 7.2.2.2.1", "WX 7.2.2.2.2", "WX 5.2a")
@pytest.mark.clause("HM 4.2.4.3", "HM 4.3.4.2")
def test_no_match_a_demand_is_recommended_docked_ordered_sampled_and_followed_up(
    page, other_page, mobile_page, demo, tmp_path, assert_accessible
):
    from onestop.catalog.models import ServiceCategory
    from onestop.fieldwork.models import FollowUp, Sample
    from onestop.institutions.models import Institution

    user, staff, lab = page, other_page, mobile_page
    log_in(user, demo, demo_account("enterprise_lz"))

    # Nothing fits: publish a demand (WX 7.2.2.1.1).
    user.goto(demo + "/search/?q=液压扭矩扳手现场校准服务")
    with user.expect_navigation():
        user.locator("main").get_by_role("link", name=zh("Publish a demand")).first.click()
    assert url_path(user) == "/demands/new/"
    assert_accessible(user)
    category = ServiceCategory.objects.get(code="metrology-verification")
    user.get_by_label(zh("Kind of service")).select_option(str(category.pk))
    user.get_by_label(zh("Title")).fill("液压扭矩扳手现场校准")
    user.get_by_label(zh("Description")).fill(
        "生产线上 12 把液压扭矩扳手需要校准，希望上门或就近送检，出具校准证书。"
    )
    user.get_by_label(zh("Contact person")).fill("刘经理")
    user.get_by_label(zh("How to be contacted")).select_option("phone")
    user.get_by_label(zh("Contact phone")).fill("0772-2812345")
    user.locator("select[name=region]").select_option(label="柳北区")
    with user.expect_navigation():
        user.locator("main form button[type=submit]").last.click()
    assert re.fullmatch(r"/demands/XQ\d+/", url_path(user)), user.url
    number = url_path(user).split("/")[2]

    # The service center takes it on, responds, and recommends (WX 7.2.2.2.1).
    log_in(staff, demo, demo_account("center_lz"))
    staff.goto(demo + f"/demands/manage/{number}/")
    assert_accessible(staff)
    with staff.expect_navigation():
        staff.locator("#claim").click()
    respond = staff.locator(f"form[action='/demands/manage/{number}/respond/']")
    respond.locator("textarea").first.fill("已电话联系刘经理，确认需校准 12 把液压扭矩扳手。")
    with staff.expect_navigation():
        respond.locator("button[type=submit]").click()
    with staff.expect_navigation():
        staff.locator("#recommend-link").click()
    assert_accessible(staff)
    metrology = Institution.objects.get(name="柳州市计量技术测试研究所")
    row = staff.locator("#recommend-form tbody tr").filter(has_text=metrology.name).first
    row.locator("input[name=pick]").check()
    with staff.expect_navigation():
        staff.get_by_role("button", name=zh("Send the ticked recommendations")).click()

    # The user accepts; docking; an order from the recommendation (WX 7.2.2.2.2).
    user.goto(demo + f"/demands/{number}/")
    with user.expect_navigation():
        user.locator("main form[action*='/accept/'] button[type=submit]").first.click()
    expect(user.locator("#institution-phone")).to_be_visible()
    with user.expect_navigation():
        user.locator("#order-from-docking").click()
    user.get_by_label(zh("What do you need?")).fill(
        "液压扭矩扳手 12 把（200–2000 N·m），送样至服务站，出具校准证书。"
    )
    user.get_by_label(zh("Contact person")).fill("刘经理")
    with user.expect_navigation():
        user.get_by_role("button", name=zh("Submit the order")).click()
    order_number = url_path(user).split("/")[2]
    order_url = user.url

    # The institution accepts; the station takes in the sample and sends it.
    log_in(lab, demo, demo_account("institution_lz"))
    lab.goto(demo + f"/orders/institution/{order_number}/")
    act(lab, "accept")
    act(lab, "start")
    staff.goto(demo + f"/fieldwork/manage/samples/new/?order={order_number}")
    assert_accessible(staff)
    staff.get_by_label(zh("Order number")).fill(order_number)
    station = staff.locator("select[name=station]")
    if station.count():
        station.select_option(index=1)
    staff.get_by_label(zh("Description of the sample")).fill("液压扭矩扳手")
    staff.get_by_label(zh("Quantity")).fill("12 把")
    staff.get_by_label(zh("Condition on receipt")).fill("外观完好，附件齐全")
    with staff.expect_navigation():
        staff.get_by_role("button", name=zh("Receive"), exact=True).click()
    sample = Sample.objects.get(order__number=order_number)
    staff.get_by_label(zh("Carrier")).fill("顺丰速运")
    staff.get_by_label(zh("Tracking number")).fill("SF1234567890")
    with staff.expect_navigation():
        staff.get_by_role("button", name=zh("Mark as sent")).click()

    # The institution receives it, uploads the report; the order is delivered.
    lab.goto(demo + f"/fieldwork/institution/samples/{sample.pk}/")
    with lab.expect_navigation():
        lab.get_by_role("button", name=zh("The sample has arrived")).click()
    lab.locator("input[type=file]").set_input_files(png_file(tmp_path, "cert.png"))
    with lab.expect_navigation():
        lab.get_by_role("button", name=zh("Upload"), exact=True).click()
    lab.goto(demo + f"/orders/institution/{order_number}/")
    lab.locator("#attach-form select").select_option("report")
    lab.locator("#attach-form input[type=file]").set_input_files(png_file(tmp_path, "c2.png"))
    with lab.expect_navigation():
        lab.locator("#attach-form button[type=submit]").click()
    act(lab, "deliver")

    # The station hands the report out against the code the user received.
    code = pickup_code_sent_to("13800000021")
    staff.goto(demo + f"/fieldwork/manage/samples/{sample.pk}/")
    staff.get_by_label(zh("Pick-up code shown by the user")).fill(code)
    with staff.expect_navigation():
        staff.get_by_role("button", name=zh("Hand out"), exact=True).click()
    sample.refresh_from_db()
    assert sample.status == "handed_out"

    # The user confirms; a follow-up visit is due and recorded (HM 4.3.4.2).
    user.goto(order_url)
    act(user, "complete")
    timeline_screenshot(user, "order-timeline-from-demand")
    follow_up = FollowUp.objects.get(order__number=order_number)
    staff.goto(demo + f"/fieldwork/manage/follow-ups/{follow_up.pk}/")
    assert_accessible(staff)
    staff.get_by_label(zh("Method")).select_option(index=0)
    staff.get_by_label(zh("What was discussed")).fill("回访刘经理，对校准服务和送样流程满意。")
    with staff.expect_navigation():
        staff.get_by_role("button", name=zh("Save the record")).click()
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
