"""Evaluation after service (WX 7.3, HM 5.2, HM A): a Hami user evaluates
with the Appendix A form through the link in the notice, without logging in;
the 不满意 opens a rectification case that the Hami service center closes
after calling the user back."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.e2e.helpers import demo_account, log_in, zh

pytestmark = pytest.mark.e2e


def _completed_hami_order():
    """A Hami user's completed order with an institution of Hami (set up
    directly: the order journey itself is proven in test_order_journeys)."""
    from onestop.accounts.models import Role, User
    from onestop.accounts.services import role_grant
    from onestop.evaluations.services import evaluation_invite, invitation_url
    from onestop.institutions.models import Offering, OfferingStatus
    from onestop.orders.models import Order, OrderStatus
    from onestop.regions.models import Region

    yizhou = Region.objects.get(code="650502")
    user = User.objects.create_user(
        username="hami_user", password="Qi-demo-2026!", display_name="哈密 马女士"
    )
    role_grant(actor=None, user=user, role=Role.INDIVIDUAL, region=yizhou)
    offering = (
        Offering.objects.filter(
            status=OfferingStatus.PUBLISHED, institution__region__path__startswith="650000/650500/"
        )
        .select_related("institution")
        .order_by("pk")
        .first()
    )
    assert offering is not None, "the demo has Hami offerings"
    order = Order.objects.create(
        number="DD2026111900001",
        user=user,
        offering=offering,
        institution=offering.institution,
        region=yizhou,
        status=OrderStatus.COMPLETED,
        description="压力表 4 只校准",
        contact_name="马女士",
        completed_at=timezone.now(),
    )
    invitation = evaluation_invite(order=order)
    return order, invitation_url(invitation)


@pytest.mark.clause("HM A")
@pytest.mark.clause("HM 5.2")
@pytest.mark.clause("WX 7.3")
def test_a_user_evaluates_with_the_hm_form_and_the_bad_review_is_called_back(
    page, other_page, demo, assert_accessible
):
    from onestop.evaluations.models import Evaluation, RectificationCase

    order, link = _completed_hami_order()
    rater, center = page, other_page

    # The link works without logging in and shows Appendix A: two parts,
    # four questions on four levels plus "solved" each, comments, signature.
    rater.goto(demo + link)
    expect(rater.locator("h1")).to_have_text("服务质量满意度评价表")
    expect(rater.locator("#evaluation-form h2")).to_have_count(2)
    expect(rater.locator("#evaluation-form fieldset")).to_have_count(10)
    expect(rater.locator("#q-center_1 input[type=radio]")).to_have_count(4)
    assert_accessible(rater)
    for key in ("center_1", "center_2", "center_3", "center_4"):
        rater.locator(f"#q-{key}").get_by_label("满意", exact=True).check()
    rater.locator("#q-center_5").get_by_label("是", exact=True).check()
    for key in ("institution_1", "institution_2", "institution_3"):
        rater.locator(f"#q-{key}").get_by_label("一般", exact=True).check()
    rater.locator("#q-institution_4").get_by_label("不满意", exact=True).check()
    rater.locator("#q-institution_5").get_by_label("否", exact=True).check()
    rater.locator("textarea[name=comment]").fill("报告比约定晚了三天，也没有提前告知。")
    rater.locator("input[name=enterprise_name]").fill("哈密某机械制造有限公司")
    rater.locator("input[name=signer]").fill("马女士")
    with rater.expect_navigation():
        rater.get_by_role("button", name=zh("Submit the evaluation")).click()
    expect(rater.locator("#evaluation-thanks")).to_be_visible()

    # The link works once.
    rater.goto(demo + link)
    assert rater.locator("h1").inner_text() != "服务质量满意度评价表"

    evaluation = Evaluation.objects.get(order=order)
    assert evaluation.bad
    case = RectificationCase.objects.get(evaluation=evaluation)

    # The Hami service center sees the case and records the callback.
    log_in(center, demo, demo_account("center_hm"))
    center.goto(demo + "/evaluations/manage/cases/")
    expect(center.locator("#cases")).to_contain_text(order.number)
    with center.expect_navigation():
        center.locator("#cases").get_by_role("link").first.click()
    expect(center.locator("#case-facts")).to_contain_text("马女士")
    assert_accessible(center)
    form = center.locator("#callback-form")
    form.get_by_label(zh("Callback method")).select_option("phone")
    form.get_by_label(zh("Callback outcome")).fill(
        "已电话回访：机构说明延误原因并致歉，承诺今后提前告知。用户表示认可。"
    )
    form.locator("input[name=user_confirmed]").check()
    with center.expect_navigation():
        form.get_by_role("button", name=zh("Record")).click()
    expect(center.locator("#case-status")).to_have_text(zh("Closed"))

    case.refresh_from_db()
    assert case.status == "closed"
    assert case.user_confirmed
    from onestop.core.models import SlaClock

    clock = SlaClock.objects.get(kind="rectification_callback", subject_id=str(case.pk))
    assert clock.outcome == "met"
