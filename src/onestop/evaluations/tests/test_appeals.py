"""Appeals (WX 7.3, HM 5.2): the institution contests a review once, within
30 days; the center of the region decides; an upheld appeal keeps the review
but takes it out of the rating."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.evaluations import selectors, services
from onestop.evaluations.models import Appeal, AppealStatus, Evaluation
from onestop.notifications.models import Notification

from .conftest import FIVE_GOOD, HM_GOOD, make_order

pytestmark = pytest.mark.django_db


def _review(world, order, **answers) -> Evaluation:
    invitation = services.evaluation_invite(order=order)
    base = HM_GOOD if order.region == world.hami else FIVE_GOOD
    return services.evaluation_submit(
        token=services.invitation_token(invitation), answers={**base, **answers}
    )


@pytest.mark.clause("WX 7.3")
def test_institution_appeals_and_the_center_upholds(world):
    good = _review(world, world.wx_order)
    second = make_order(world.wx_user, world.wx_offering, region=world.wuxi)
    bad = _review(
        world,
        second,
        institution_flow="very_dissatisfied",
        **{f"institution_{i}": "very_dissatisfied" for i in range(1, 5)},
    )
    world.wx_institution.refresh_from_db()
    assert world.wx_institution.rating == Decimal("2.50")  # (4 + 1) / 2

    appeal = services.appeal_lodge(
        actor=world.wx_person, evaluation=bad, reason="用户订单与本机构无关，系误评。"
    )
    assert appeal.status == AppealStatus.PENDING
    assert Notification.objects.filter(
        recipient=world.wx_center, kind="evaluations.appeal"
    ).exists()

    services.appeal_decide(
        actor=world.wx_center, appeal=appeal, upheld=True, decision="核实为误评，不计入评分。"
    )
    bad.refresh_from_db()
    assert bad.counted is False
    assert bad.answers["institution_1"] == "very_dissatisfied"  # the review stays on record
    world.wx_institution.refresh_from_db()
    assert world.wx_institution.rating == good.institution_score
    assert world.wx_institution.rating_count == 1
    assert Notification.objects.filter(
        recipient=world.wx_person, kind="evaluations.appeal_decided"
    ).exists()
    assert AuditEvent.objects.filter(action="evaluations.appeal_decide").exists()


@pytest.mark.clause("HM 5.2")
def test_rejected_appeal_leaves_the_review_counted(world):
    evaluation = _review(world, world.hm_order, institution_4="dissatisfied")
    appeal = services.appeal_lodge(
        actor=world.hm_person, evaluation=evaluation, reason="我方已按期交付，评价不实。"
    )
    services.appeal_decide(
        actor=world.hm_center, appeal=appeal, upheld=False, decision="经回访核实，评价属实。"
    )
    evaluation.refresh_from_db()
    assert evaluation.counted is True
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    with pytest.raises(InvalidTransition):
        services.appeal_decide(
            actor=world.hm_center, appeal=appeal, upheld=True, decision="再次决定不应被接受。"
        )


@pytest.mark.clause("WX 7.3")
def test_one_appeal_per_review_and_only_by_its_institution(world):
    evaluation = _review(world, world.hm_order)
    with pytest.raises(NotFound):
        services.appeal_lodge(
            actor=world.wx_person, evaluation=evaluation, reason="别的机构不能申诉这条评价。"
        )
    with pytest.raises(InvalidInput):
        services.appeal_lodge(actor=world.hm_person, evaluation=evaluation, reason="太短")
    services.appeal_lodge(
        actor=world.hm_person, evaluation=evaluation, reason="评价与事实不符，请核实。"
    )
    with pytest.raises(InvalidTransition):
        services.appeal_lodge(
            actor=world.hm_person, evaluation=evaluation, reason="第二次申诉应被拒绝。"
        )
    assert Appeal.objects.count() == 1


@pytest.mark.clause("WX 7.3")
def test_appeal_window_is_thirty_days(world, time_machine):
    evaluation = _review(world, world.hm_order)
    time_machine.shift(dt.timedelta(days=31))
    with pytest.raises(InvalidTransition):
        services.appeal_lodge(
            actor=world.hm_person, evaluation=evaluation, reason="超过三十天的申诉。"
        )


@pytest.mark.clause("WX 7.3")
def test_center_of_another_region_cannot_decide(world):
    evaluation = _review(world, world.hm_order)
    appeal = services.appeal_lodge(
        actor=world.hm_person, evaluation=evaluation, reason="评价与事实不符，请核实。"
    )
    with pytest.raises(NotFound):
        services.appeal_decide(
            actor=world.wx_center, appeal=appeal, upheld=True, decision="越权决定不应生效。"
        )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.PENDING


@pytest.mark.clause("WX 7.3")
def test_appeal_pages(client, world, otp_login, django_assert_num_queries):
    evaluation = _review(world, world.hm_order, institution_4="dissatisfied")
    client.force_login(world.hm_person)
    url = reverse("evaluations:institution_appeal", kwargs={"pk": evaluation.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "交付记录显示按期完成，评价不实。"})
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    listing = client.get(reverse("evaluations:institution_list")).content.decode()
    assert f'id="evaluation-{evaluation.pk}"' in listing

    client.logout()
    otp_login(world.hm_center)
    with django_assert_num_queries(7):
        queue = client.get(reverse("evaluations:appeal_queue"))
    assert f'href="{appeal.staff_url}"' in queue.content.decode()
    detail = client.post(appeal.staff_url, {"upheld": "1", "decision": "核实为误评，不计入。"})
    assert detail.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD


@pytest.mark.clause("WX 7.3")
def test_appeal_pages_refuse_others(client, world, otp_login):
    evaluation = _review(world, world.hm_order)
    url = reverse("evaluations:institution_appeal", kwargs={"pk": evaluation.pk})
    assert client.get(url).status_code == 302  # log in first
    client.force_login(world.wx_person)  # another institution
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "别的机构不能申诉这条评价。"}).status_code == 404
    client.force_login(world.user)  # not an institution at all
    assert client.get(url).status_code == 404
    appeal = services.appeal_lodge(
        actor=world.hm_person, evaluation=evaluation, reason="评价与事实不符，请核实。"
    )
    client.logout()
    otp_login(world.wx_center)
    assert client.get(appeal.staff_url).status_code == 404
    assert Appeal.objects.get().status == AppealStatus.PENDING


@pytest.mark.clause("HM 5.2")
def test_institution_list_hides_identity_and_pages(client, world, django_assert_num_queries):
    for _ in range(3):
        order = make_order(world.user, world.hm_offering, region=world.hami)
        _review(world, order)
    rows = selectors.rows_of(
        selectors.institution_evaluations(institution=world.hm_institution), show_identity=False
    )
    assert {row.rater for row in rows} == {""}
    client.force_login(world.hm_person)
    with django_assert_num_queries(6):
        page = client.get(reverse("evaluations:institution_list"))
    assert world.user.display_name not in page.content.decode()
