"""Accounts journeys in a real browser: registering with an SMS code, real-name and
enterprise verification reviewed by the Liuzhou service center, enterprise staff
and a late name change, and a refused upload."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from helpers import (
    demo_account,
    ensure_privacy_notice,
    log_in,
    log_in_with_password,
    png_file,
    register,
    url_path,
    zh,
)
from playwright.sync_api import expect

from onestop.core.demo import DemoAccount
from onestop.verification.models import RejectReason

PASSWORD = "Qi-demo-2026!"
# Fresh numbers: the demo data already uses 11010519491231002X, 91450200MA5K6L7N8N
# and 91320281MA1X2Y3W4B.
ID_NUMBER = "450202199003071233"
USCC = "91450200MA1PQR5T6A"
OTHER_USCC = "91450200MA1PQR5T7D"


@pytest.fixture(autouse=True)
def _fresh_outbox_and_private_media(settings, tmp_path):
    """An empty SMS outbox, the privacy notice, and uploads kept in tmp_path."""
    from onestop.notifications.sms import MemorySmsGateway

    MemorySmsGateway.outbox.clear()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield
    MemorySmsGateway.outbox.clear()


@pytest.fixture
def liuzhou(demo):
    """The demo live server, ready for new registrations."""
    ensure_privacy_notice()
    return demo


def submit(page: Any) -> Any:
    """Press the form's submit button; returns the response of the page that follows."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=zh("Submit for review"), exact=True).click()
    return navigation.value


def messages(page: Any) -> Any:
    return page.locator("main ul.messages")


def open_from_queue(page: Any, base: str, row_text: str) -> None:
    """The reviewer opens the queue and the application whose row mentions ``row_text``."""
    page.goto(base + "/verification/review/")
    row = page.locator("main table tbody tr").filter(has_text=row_text)
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("link").click()
    assert re.fullmatch(r"/verification/review/\d+/", url_path(page)), page.url


def approve(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=zh("Approve"), exact=True).click()
    assert url_path(page) == "/verification/review/"
    expect(messages(page)).to_contain_text(zh("Approved."))


def stored_files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def documents_list(page: Any) -> Any:
    """The reviewer's list of the latest submission's documents."""
    return page.locator(f'main h2:text-is("{zh("Documents")}") + ul')


def field_row(page: Any, label: str) -> Any:
    """A row of the reviewer's "submitted information" list, by its label."""
    return page.locator("main dl.fields > div").filter(
        has=page.locator("dt", has_text=re.compile("^" + re.escape(label)))
    )


@pytest.mark.clause("WX 7.1.1.1")
@pytest.mark.clause("WX 7.1.1.3")
@pytest.mark.clause("WX 7.1.1.5")
@pytest.mark.clause("HM 6.3")
def test_individual_registers_is_returned_then_verified(
    page, other_page, liuzhou, tmp_path, assert_accessible
):
    applicant, reviewer = page, other_page
    register(
        applicant,
        liuzhou,
        mobile="13700000001",
        kind="Individual user",
        display_name="小齐",
        password=PASSWORD,
        region_label="城中区（柳州市）",
        assert_accessible=assert_accessible,
    )

    # Real-name verification with the ID-card scan (WX 7.1.1.3).
    applicant.goto(liuzhou + "/verification/individual/")
    assert_accessible(applicant)
    applicant.get_by_label(zh("Real name")).fill("齐明")
    applicant.get_by_label(zh("ID number")).fill(ID_NUMBER)
    applicant.get_by_label(zh("Scan of the ID card (both sides)")).set_input_files(
        png_file(tmp_path, "id-card.png")
    )
    submit(applicant)
    assert url_path(applicant) == "/verification/"
    expect(messages(applicant)).to_contain_text(
        zh("Submitted. The service center will reply within 3 working days.")
    )
    card = applicant.locator("main section.application")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(zh("Under review"))

    # The Liuzhou service center sees the full ID number (HM 6.3: only the reviewer).
    log_in(reviewer, liuzhou, demo_account("center_lz"))
    reviewer.goto(liuzhou + "/verification/review/")
    assert_accessible(reviewer)
    open_from_queue(reviewer, liuzhou, "小齐")
    expect(field_row(reviewer, zh("ID number")).locator("dd")).to_have_text(ID_NUMBER)
    expect(field_row(reviewer, zh("Real name")).locator("dd")).to_have_text("齐明")
    assert_accessible(reviewer)
    reason = zh(RejectReason.SCAN_UNREADABLE.label)
    reviewer.get_by_label(reason, exact=True).check()
    reviewer.get_by_label(zh("Note to the applicant")).fill("身份证背面不清晰，请核对姓名。")
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name=zh("Return to the applicant"), exact=True).click()
    assert url_path(reviewer) == "/verification/review/"
    expect(reviewer.locator("main table tbody")).not_to_contain_text("小齐")

    # The applicant reads why (WX 7.1.1.5) and completes the application.
    applicant.goto(liuzhou + "/verification/")
    returned = applicant.locator("main section.application .warning")
    expect(returned).to_contain_text(reason)
    expect(returned).to_contain_text("身份证背面不清晰，请核对姓名。")
    expect(card).to_contain_text(zh("Returned for completion"))
    assert_accessible(applicant)
    applicant.goto(liuzhou + "/verification/individual/")
    expect(applicant.locator("main .warning")).to_contain_text("身份证背面不清晰")
    real_name = applicant.get_by_label(zh("Real name"))
    expect(real_name).to_have_value("齐明")
    real_name.fill("齐晓明")
    # Today the returned form is filled in with the full ID number from the last
    # submission (views._initial); should it come back empty, type it again.
    if not applicant.get_by_label(zh("ID number")).input_value():
        applicant.get_by_label(zh("ID number")).fill(ID_NUMBER)
    submit(applicant)  # no new scan: the one sent before is kept
    assert url_path(applicant) == "/verification/"
    expect(card).to_contain_text(zh("Under review"))

    # The reviewer sees what changed, and approves.
    open_from_queue(reviewer, liuzhou, "小齐")
    expect(reviewer.locator("main")).to_contain_text(
        zh("Submission %(n)s: changed fields are marked.") % {"n": 2}
    )
    name_row = field_row(reviewer, zh("Real name"))
    expect(name_row).to_have_class("changed")
    expect(name_row.locator(".badge")).to_have_text(zh("Changed"))
    expect(name_row.locator("dd")).to_contain_text("齐晓明")
    expect(name_row.locator("del")).to_have_text("齐明")
    expect(field_row(reviewer, zh("ID number"))).not_to_have_class("changed")
    expect(documents_list(reviewer)).to_contain_text(zh("ID card"))
    expect(documents_list(reviewer).locator(".badge")).to_have_count(0)  # the scan is not new
    approve(reviewer)

    applicant.goto(liuzhou + "/verification/")
    expect(card).to_contain_text(zh("Approved"))
    expect(applicant.locator("main .warning")).to_have_count(0)
    applicant.goto(liuzhou + "/inbox/")
    inbox = applicant.locator("main ul.inbox")
    expect(inbox).to_contain_text(zh("Your application has been received"))
    expect(inbox).to_contain_text(zh("Your application needs completing"))
    expect(inbox).to_contain_text(zh("Your application has been approved"))

    # The applicant's own pages never show the full ID number.
    for path in ["/", "/verification/", "/accounts/me/", "/inbox/"]:
        applicant.goto(liuzhou + path)
        assert ID_NUMBER not in applicant.content(), path


@pytest.mark.clause("WX 7.1.1.1")
@pytest.mark.clause("WX 7.1.1.4")
@pytest.mark.clause("WX 7.1.1.6")
def test_enterprise_is_verified_adds_staff_and_reports_a_late_name_change(
    page, other_page, mobile_page, liuzhou, tmp_path, assert_accessible
):
    owner, reviewer, colleague = page, other_page, mobile_page
    register(
        owner,
        liuzhou,
        mobile="13700000002",
        kind="Enterprise user",
        display_name="新材 刘总",
        password=PASSWORD,
        region_label="柳北区（柳州市）",
    )

    # Enterprise verification with the three documents (WX 7.1.1.4).
    owner.goto(liuzhou + "/verification/enterprise/")
    form = owner.locator("main form[enctype='multipart/form-data']")
    form.get_by_label(zh("Enterprise name")).fill("柳州新材料科技有限公司")
    form.get_by_label(zh("Unified social credit code")).fill(USCC)
    form.get_by_label(zh("Legal representative")).fill("刘洋")
    form.get_by_label(zh("Address")).fill("广西柳州市柳北区新材路8号")
    form.locator("select[name=region]").select_option(label="柳北区")
    form.get_by_label(zh("Industry")).fill("新材料")
    form.locator("input[name=licence]").set_input_files(png_file(tmp_path, "licence.png"))
    form.locator("input[name=qualification]").set_input_files(png_file(tmp_path, "qual.png"))
    form.locator("input[name=pledge]").set_input_files(png_file(tmp_path, "pledge.png"))
    submit(owner)
    assert url_path(owner) == "/verification/", owner.locator("main").inner_text()
    expect(owner.locator("main section.application")).to_contain_text(zh("Under review"))

    log_in(reviewer, liuzhou, demo_account("center_lz"))
    open_from_queue(reviewer, liuzhou, "柳州新材料科技有限公司")
    expect(reviewer.locator("main")).to_contain_text(USCC)
    documents = documents_list(reviewer).locator("li a")
    expect(documents).to_have_count(3)
    assert sorted(documents.all_inner_texts()) == sorted(
        zh(kind) for kind in ["Business licence", "Qualification certificate", "Integrity pledge"]
    )
    approve(reviewer)

    # The owner invites a colleague by mobile number.
    owner.goto(liuzhou + "/enterprise/")
    expect(owner.locator("main h2").first).to_have_text("柳州新材料科技有限公司")
    owner.get_by_label(zh("Mobile number of the person to invite")).fill("13700000003")
    with owner.expect_navigation():
        owner.get_by_role("button", name=zh("Invite"), exact=True).click()
    expect(messages(owner)).to_contain_text(zh("Invitation sent."))
    expect(owner.locator("main")).to_contain_text("137****0003")

    # The colleague registers on a phone and accepts.
    register(
        colleague,
        liuzhou,
        mobile="13700000003",
        kind="Enterprise user",
        display_name="新材 小王",
        password=PASSWORD,
        region_label="柳北区（柳州市）",
    )
    colleague.goto(liuzhou + "/enterprise/")
    invitation = colleague.locator("main .warning").filter(has_text="柳州新材料科技有限公司")
    expect(invitation).to_have_count(1)
    with colleague.expect_navigation():
        invitation.get_by_role("button", name=zh("Accept"), exact=True).click()
    expect(messages(colleague)).to_contain_text(zh("You now act for the enterprise."))
    expect(colleague.locator("main h2").first).to_have_text("柳州新材料科技有限公司")
    overflow = colleague.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"/enterprise/ scrolls sideways by {overflow}px on a phone"

    owner.reload()
    members = owner.locator("main table tbody tr")
    expect(members).to_have_count(2)
    expect(members.filter(has_text="新材 刘总")).to_contain_text(zh("Owner"))
    expect(members.filter(has_text="新材 小王")).to_contain_text("137****0003")
    expect(owner.locator("main")).not_to_contain_text("13700000003")
    assert_accessible(owner)

    # A name change reported 40 days after it took effect (WX 7.1.1.6).
    changed_on = timezone.localdate() - dt.timedelta(days=40)
    owner.goto(liuzhou + "/verification/name-change/")
    owner.get_by_label(zh("New name")).fill("柳州新材智能科技有限公司")
    owner.get_by_label(zh("Date of the change")).fill(changed_on.isoformat())
    owner.get_by_label(zh("New business licence")).set_input_files(
        png_file(tmp_path, "new-licence.png", (40, 200, 40))
    )
    submit(owner)
    assert url_path(owner) == "/verification/", owner.locator("main").inner_text()

    reviewer.goto(liuzhou + "/verification/review/")
    row = reviewer.locator("main table tbody tr").filter(has_text=zh("Enterprise name change"))
    late_row = row.filter(has_text="柳州新材料科技有限公司")
    expect(late_row.locator(".badge")).to_have_text(zh("Reported late"))
    open_from_queue(reviewer, liuzhou, "柳州新材料科技有限公司")
    expect(reviewer.locator("main .warning")).to_have_text(
        zh("The name change was reported more than one month after it took effect (WX 7.1.1.6).")
    )
    expect(field_row(reviewer, zh("Date of the change")).locator("dd")).to_have_text(
        changed_on.isoformat()
    )


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.clause("WX 7.1.1.4")
def test_a_text_file_named_png_is_refused_and_nothing_is_submitted(
    page, liuzhou, tmp_path, settings, assert_accessible
):
    from onestop.accounts.models import Role, UserKind
    from onestop.accounts.services import role_grant, user_create
    from onestop.documents.models import Document
    from onestop.enterprises.models import Enterprise
    from onestop.regions.models import Region
    from onestop.verification.models import Application

    user = user_create(
        actor=None, username="newfirm", password=PASSWORD, display_name="新企业 吴经理"
    )
    user.kind = UserKind.ENTERPRISE
    user.save(update_fields=["kind"])
    role_grant(
        actor=None, user=user, role=Role.ENTERPRISE, region=Region.objects.get(code="450205")
    )
    account = DemoAccount("newfirm", "新企业 吴经理", Role.ENTERPRISE, "450205", "public")
    log_in_with_password(page, liuzhou, account, password=PASSWORD)
    expect(page.locator("header .who")).to_have_text("新企业 吴经理")

    fake = tmp_path / "licence.png"
    fake.write_text("这不是营业执照，只是一段文字。\n" * 20, encoding="utf-8")
    page.goto(liuzhou + "/verification/enterprise/")
    form = page.locator("main form[enctype='multipart/form-data']")
    form.get_by_label(zh("Enterprise name")).fill("柳州试验企业有限公司")
    form.get_by_label(zh("Unified social credit code")).fill(OTHER_USCC)
    form.get_by_label(zh("Legal representative")).fill("吴刚")
    form.get_by_label(zh("Address")).fill("广西柳州市柳北区试验路1号")
    form.locator("select[name=region]").select_option(label="柳北区")
    form.get_by_label(zh("Industry")).fill("机械制造")
    form.locator("input[name=licence]").set_input_files(fake)
    form.locator("input[name=qualification]").set_input_files(png_file(tmp_path, "qual.png"))
    form.locator("input[name=pledge]").set_input_files(png_file(tmp_path, "pledge.png"))
    files_before = stored_files(settings.PRIVATE_MEDIA_ROOT)
    response = submit(page)

    assert response.status == 400
    assert url_path(page) == "/verification/enterprise/"
    summary = page.locator("main .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(zh("Only PDF, JPEG and PNG files are accepted."))
    # The form is still there with what was typed; only the files must be chosen again.
    expect(form.get_by_label(zh("Enterprise name"))).to_have_value("柳州试验企业有限公司")
    expect(form.get_by_label(zh("Unified social credit code"))).to_have_value(OTHER_USCC)
    expect(form.locator("select[name=region] option:checked")).to_have_text("柳北区")
    expect(form.get_by_role("button", name=zh("Submit for review"), exact=True)).to_be_visible()
    assert_accessible(page)

    assert not Application.objects.filter(applicant=user).exists()
    assert not Enterprise.objects.filter(uscc=OTHER_USCC).exists()
    assert not Document.objects.filter(owner=user).exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == files_before
    page.goto(liuzhou + "/verification/")
    expect(page.locator("main section.application")).to_have_count(0)
