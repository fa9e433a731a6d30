"""A complaint received at a station, end to end (issue 6: WX 7.4.2, 7.4.3, HM 5.6)."""

from __future__ import annotations

import re

import pytest
from helpers import demo_account, log_in, url_path, zh
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

COMPLAINANT_MOBILE = "13800000031"  # enterprise_jy's account (verification demo)
INSTITUTION = "江苏澄信检验检测认证股份有限公司"
STATION = "江阴市市场监督管理局服务站"


@pytest.fixture(autouse=True)
def _fresh_outbox_and_private_media(settings, tmp_path):
    from onestop.notifications.sms import MemorySmsGateway

    settings.ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def institution_person(demo):
    """The demo's institution account acts for its institution (a member of
    the institution's enterprise), as an onboarded institution's staff would."""
    from onestop.accounts.models import User
    from onestop.enterprises.models import MemberRole, Membership
    from onestop.institutions.models import Institution

    institution = Institution.objects.get(name=INSTITUTION)
    Membership.objects.create(
        enterprise=institution.enterprise,
        user=User.objects.get(username="institution_cx"),
        role=MemberRole.OWNER,
    )
    return institution


def act(page, action: str, note: str = "") -> None:
    """Press one of the complaint's next-step buttons (with its note, if any)."""
    form = page.locator(f"#action-{action}")
    if note:
        form.locator("textarea").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def status_of(page) -> str:
    return page.locator("#status").get_attribute("data-status") or ""


# Received offline at a station, handled online by the center and the institution:
# the online and offline platforms serving together (LZ 4.3, LZ 5).
@pytest.mark.clause("WX 7.4.2", "WX 7.4.3", "HM 5.6", "LZ 6.5.3", "LZ 4.3", "LZ 5")
def test_a_complaint_at_a_station_is_forwarded_answered_concluded_and_closed_in_time(
    page, other_page, mobile_page, demo, institution_person, assert_accessible
):
    from onestop.complaints.models import Complaint
    from onestop.notifications.sms import MemorySmsGateway
    from onestop.stations.models import Station

    staff, lab, complainant = page, other_page, mobile_page

    # The station registers what the complainant says at its counter (WX 7.4.2).
    log_in(staff, demo, demo_account("station_jy"))
    staff.goto(demo + "/complaints/manage/register/")
    assert_accessible(staff)
    staff.locator("select[name=channel]").select_option("station")
    station = Station.objects.get(name=STATION)
    staff.locator("select[name=received_at_station]").select_option(str(station.pk))
    staff.locator("input[name=complainant_mobile]").fill(COMPLAINANT_MOBILE)
    staff.locator("input[name=target][value=institution]").check()
    staff.locator("select[name=institution]").select_option(label=INSTITUTION)
    staff.locator("select[name=type]").select_option("timeliness")
    staff.locator("textarea[name=content]").fill(
        "送检的 6 块压力表承诺 5 个工作日出具检测报告，已过 9 个工作日仍未出具。"
    )
    staff.locator("textarea[name=request]").fill("尽快出具报告，并说明延误原因。")
    with staff.expect_navigation():
        staff.locator("#register-form button[type=submit]").click()
    assert re.fullmatch(r"/complaints/manage/TS-\d{4}-\d{6}/", url_path(staff)), staff.url
    number = url_path(staff).split("/")[3]
    expect(staff.locator("#status")).to_have_attribute("data-status", "received")
    expect(staff.locator("#actions")).to_have_count(0)  # the station registers; the center handles

    # The service center accepts it and forwards it to the institution.
    log_in(staff, demo, demo_account("center_wx"))
    staff.goto(demo + f"/complaints/manage/{number}/")
    assert_accessible(staff)
    expect(staff.locator("#complainant-name")).to_contain_text("周主任")
    act(staff, "acknowledge")
    act(staff, "forward", "请核实送检记录，3 个工作日内答复。")
    assert status_of(staff) == "forwarded"
    # Investigated and forwarded inside the 7 working days (WX 7.4.3).
    expect(staff.locator("#clocks tbody tr[data-outcome=met]")).to_have_count(1)
    # The complainant was told it was accepted, by SMS with the number.
    assert any(
        sms.mobile == COMPLAINANT_MOBILE and number in sms.text for sms in MemorySmsGateway.outbox
    )

    # The institution reads it and responds.
    log_in(lab, demo, demo_account("institution_cx"))
    lab.goto(demo + "/complaints/institution/")
    with lab.expect_navigation():
        lab.locator("#complaints").get_by_role("link", name=number).click()
    assert_accessible(lab)
    act(lab, "respond", "经核实，因设备检定延误，报告已于今日出具，并向客户致歉。")
    assert status_of(lab) == "responded"

    # The center concludes and feeds the outcome back.
    staff.goto(demo + f"/complaints/manage/{number}/")
    expect(staff.locator("#response")).to_contain_text("报告已于今日出具")
    staff.locator("#action-conclude input[value=yes]").check()
    act(staff, "conclude", "投诉属实：机构未按承诺时限出具报告，已督促整改。")
    act(staff, "feed_back", "机构已出具报告并致歉，今后将按承诺时限出具报告。")
    assert status_of(staff) == "fed_back"

    # The complainant, on their phone, reads the outcome and closes it satisfied.
    log_in(complainant, demo, demo_account("enterprise_jy"))
    complainant.goto(demo + "/complaints/mine/")
    assert_accessible(complainant)
    with complainant.expect_navigation():
        complainant.locator("#complaints").get_by_role("link", name=number).click()
    expect(complainant.locator("#feedback")).to_contain_text("机构已出具报告并致歉")
    assert_accessible(complainant)
    complainant.locator("#action-close input[value=satisfied]").check()
    act(complainant, "close")
    assert status_of(complainant) == "closed"
    expect(complainant.locator("#satisfaction")).to_contain_text(zh("Satisfied"))
    expect(complainant.locator("#timeline > li")).to_have_count(7)

    # The center sees it closed, the clock met.
    staff.goto(demo + f"/complaints/manage/{number}/")
    assert status_of(staff) == "closed"
    expect(staff.locator("#clocks tbody tr[data-outcome=met]")).to_have_count(1)
    assert_accessible(staff)
    complaint = Complaint.objects.get(number=number)
    assert (complaint.satisfaction, complaint.upheld) == ("satisfied", True)
