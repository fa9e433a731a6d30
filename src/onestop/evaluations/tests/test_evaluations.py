from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import SlaClock, SlaOutcome
from onestop.evaluations import services
from onestop.evaluations.models import (
    CaseStatus,
    Evaluation,
    Invitation,
    RectificationCase,
    SurveyForm,
)
from onestop.evaluations.surveys import FIVE_LEVEL_CODE, HM_CODE
from onestop.notifications.models import Notification
from onestop.orders.models import OrderStatus

from .conftest import FIVE_GOOD, HM_GOOD

pytestmark = pytest.mark.django_db


def url_of(invitation: Invitation) -> str:
    return services.invitation_url(invitation)


def post(client, invitation, answers, **extra):
    return client.post(url_of(invitation), {**answers, **extra})


@pytest.mark.clause("HM A")
def test_hm_form_is_appendix_a(world):
    form = SurveyForm.objects.get(code=HM_CODE, version=1)
    parts = form.definition["parts"]
    assert [p["title"] for p in parts] == [
        "评价内容（服务中心自主实施服务）",
        "评价内容（质量服务机构提供服务）",
    ]
    assert [q["text"] for q in parts[0]["questions"]] == [
        "您对服务中心本次服务反馈及时性的满意度",
        "您对服务中心本次服务的专业性的满意度",
        "您对服务中心本次服务的文明性的满意度",
        "您对服务中心本次服务的总体评价",
        "您的问题是否得到了解决",
    ]
    assert [q["type"] for q in parts[1]["questions"]] == ["scale"] * 4 + ["yes_no"]
    assert [s["label"] for s in form.definition["scale"]] == ["非常满意", "满意", "一般", "不满意"]
    assert [s["label"] for s in form.definition["yes_no"]] == ["是", "否"]
    assert set(form.definition["signature"]) == {"enterprise_name", "signer", "date"}
    assert form.anonymous_to_provider
    five = SurveyForm.objects.filter(code=FIVE_LEVEL_CODE).latest("version")
    assert [s["label"] for s in five.definition["scale"]] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    # Loading again changes nothing.
    services.evaluations_load_forms()
    assert SurveyForm.objects.count() == 4  # HM A; five levels v1, v2; consultation


@pytest.mark.clause("HM 5.2")
@pytest.mark.clause("WX 7.3")
def test_invite_chooses_form_by_profile_and_notifies(world):
    hm = services.evaluation_invite(order=world.hm_order)
    wx = services.evaluation_invite(order=world.wx_order)
    assert hm.form.code == HM_CODE
    assert wx.form.code == FIVE_LEVEL_CODE
    assert services.evaluation_invite(order=world.hm_order).pk == hm.pk
    note = Notification.objects.get(recipient=world.user, kind="evaluations.invite")
    assert note.url == url_of(hm)
    assert abs(hm.expires_at - hm.created_at - dt.timedelta(days=30)) < dt.timedelta(seconds=5)


def test_invite_refuses_an_open_order(world):
    world.hm_order.status = OrderStatus.DELIVERED
    world.hm_order.save()
    with pytest.raises(InvalidTransition):
        services.evaluation_invite(order=world.hm_order)
    assert not Invitation.objects.exists()


@pytest.mark.clause("HM 5.2")
@pytest.mark.clause("WX 7.3")
def test_submit_without_login_stores_and_rates(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    page = client.get(url_of(invitation))
    assert page.status_code == 200
    assert "您对质量服务机构本次服务专业性的满意度" in page.content.decode()
    response = post(client, invitation, HM_GOOD, comment="服务很好", signer="赵总")
    assert response.status_code == 200
    evaluation = Evaluation.objects.get()
    assert evaluation.rater == world.user
    assert evaluation.answers == HM_GOOD
    assert evaluation.institution_score == Decimal("4.50")
    assert not evaluation.bad
    world.hm_institution.refresh_from_db()
    assert world.hm_institution.rating == Decimal("4.50")
    assert world.hm_institution.rating_count == 1
    assert not RectificationCase.objects.exists()
    assert AuditEvent.objects.filter(action="evaluations.submit").count() == 1


@pytest.mark.clause("WX 7.3")
def test_rating_is_the_running_mean(world, make_user):
    from .conftest import make_order

    first = services.evaluation_invite(order=world.wx_order)
    services.evaluation_submit(token=services.invitation_token(first), answers=FIVE_GOOD)
    second_order = make_order(world.wx_user, world.wx_offering, region=world.wuxi)
    second = services.evaluation_invite(order=second_order)
    answers = {
        **FIVE_GOOD,
        "institution_flow": "very_satisfied",
        **{f"institution_{i}": "very_satisfied" for i in range(1, 5)},
    }
    services.evaluation_submit(token=services.invitation_token(second), answers=answers)
    world.wx_institution.refresh_from_db()
    assert world.wx_institution.rating_count == 2
    assert world.wx_institution.rating == Decimal("4.50")


@pytest.mark.clause("WX 7.3")
def test_second_submission_refused_and_audited(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    assert post(client, invitation, HM_GOOD).status_code == 200
    again = post(client, invitation, {**HM_GOOD, "institution_1": "dissatisfied"})
    assert again.status_code == 410
    assert "link-refused" in again.content.decode()
    assert client.get(url_of(invitation)).status_code == 410
    assert Evaluation.objects.count() == 1
    assert Evaluation.objects.get().answers == HM_GOOD
    assert AuditEvent.objects.filter(action="evaluations.link_refused").count() == 2
    with pytest.raises(services.LinkGone):
        services.evaluation_submit(token=services.invitation_token(invitation), answers=HM_GOOD)


@pytest.mark.clause("WX 7.3")
def test_expired_link_refused_and_audited(client, world, time_machine):
    invitation = services.evaluation_invite(order=world.hm_order)
    time_machine.shift(dt.timedelta(days=31))
    response = post(client, invitation, HM_GOOD)
    assert response.status_code == 410
    assert not Evaluation.objects.exists()
    refused = AuditEvent.objects.get(action="evaluations.link_refused")
    assert refused.changes["reason"] == "link_gone"


@pytest.mark.clause("WX 7.3")
def test_forged_link_refused_and_audited(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    token = services.invitation_token(invitation)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (forged, "not-a-token", "1"):
        response = client.post(reverse("evaluations:invite", kwargs={"token": bad}), HM_GOOD)
        assert response.status_code == 400
    assert not Evaluation.objects.exists()
    assert AuditEvent.objects.filter(action="evaluations.link_refused").count() == 3
    invitation.refresh_from_db()
    assert invitation.used_at is None


@pytest.mark.clause("HM 5.2")
def test_answer_outside_the_scale_refused(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    # "very_dissatisfied" belongs to the five-level scale, not to Appendix A.
    response = post(client, invitation, {**HM_GOOD, "institution_1": "very_dissatisfied"})
    assert response.status_code == 400
    assert 'id="q-institution_1"' in response.content.decode()
    token = services.invitation_token(invitation)
    for answers in (
        {**HM_GOOD, "institution_1": "very_dissatisfied"},
        {**HM_GOOD, "institution_5": "maybe"},
        {k: v for k, v in HM_GOOD.items() if k != "center_3"},
        {**HM_GOOD, "extra": "yes"},
        {**HM_GOOD, "center_1": 5},
    ):
        with pytest.raises(InvalidInput):
            services.evaluation_submit(token=token, answers=answers)
    assert not Evaluation.objects.exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


@pytest.mark.clause("WX 7.3")
def test_huge_comment_refused(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    token = services.invitation_token(invitation)
    with pytest.raises(InvalidInput) as error:
        services.evaluation_submit(token=token, answers=HM_GOOD, comment="差" * 3_000_000)
    assert error.value.field == "comment"
    response = post(client, invitation, HM_GOOD, comment="x" * 2001)
    assert response.status_code == 400
    huge = post(client, invitation, HM_GOOD, comment="x" * 3 * 1024 * 1024)
    assert huge.status_code == 400
    assert not Evaluation.objects.exists()
    world.hm_institution.refresh_from_db()
    assert world.hm_institution.rating_count == 0
    # The comment at the limit is fine.
    assert post(client, invitation, HM_GOOD, comment="x" * 2000).status_code == 200


def test_evaluation_is_immutable(world):
    invitation = services.evaluation_invite(order=world.hm_order)
    evaluation = services.evaluation_submit(
        token=services.invitation_token(invitation), answers=HM_GOOD
    )
    evaluation.comment = "改过"
    with pytest.raises(ValueError, match="immutable"):
        evaluation.save()


@pytest.mark.clause("HM 5.2")
def test_institution_does_not_see_the_rater_of_an_anonymous_form(client, world, otp_login):
    invitation = services.evaluation_invite(order=world.hm_order)
    services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers=HM_GOOD,
        comment="报告很及时",
        enterprise_name="哈密某某有限公司",
        signer="赵总",
    )
    client.force_login(world.hm_person)
    page = client.get(reverse("evaluations:institution_list")).content.decode()
    assert "报告很及时" in page
    assert world.hm_order.number in page
    for secret in ("赵先生", "哈密某某有限公司", "赵总"):
        assert secret not in page
    otp_login(world.hm_center)
    staff_page = client.get(reverse("evaluations:manage_list")).content.decode()
    assert "赵先生" in staff_page
    assert "哈密某某有限公司" in staff_page


def test_five_level_form_is_not_anonymous(client, world):
    invitation = services.evaluation_invite(order=world.wx_order)
    services.evaluation_submit(token=services.invitation_token(invitation), answers=FIVE_GOOD)
    client.force_login(world.wx_person)
    page = client.get(reverse("evaluations:institution_list")).content.decode()
    assert "钱女士" in page


def _bad_review(world, **changes):
    invitation = services.evaluation_invite(order=world.hm_order)
    return services.evaluation_submit(
        token=services.invitation_token(invitation), answers={**HM_GOOD, **changes}
    )


@pytest.mark.clause("HM 5.2")
@pytest.mark.clause("HM 5.1")
@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"institution_3": "dissatisfied"}, ["institution_3"]),
        ({"center_5": "no"}, ["center_5"]),
    ],
)
def test_bad_review_opens_a_case_with_a_15_working_day_clock(world, changes, reasons):
    evaluation = _bad_review(world, **changes)
    case = RectificationCase.objects.get(evaluation=evaluation)
    assert case.reasons == reasons
    assert case.status == CaseStatus.OPEN
    assert case.region == world.hami
    clock = SlaClock.objects.get(kind="rectification_callback", subject_id=str(case.pk))
    assert clock.working_days == 15
    # 18 Nov 2026 + 15 working days: Wednesday 9 December, end of day.
    assert clock.due_at.astimezone(dt.UTC).date() in (dt.date(2026, 12, 9), dt.date(2026, 12, 10))
    assert Notification.objects.filter(
        recipient=world.hm_center, kind="evaluations.case_open"
    ).exists()
    assert not Notification.objects.filter(
        recipient=world.wx_center, kind="evaluations.case_open"
    ).exists()


def test_five_level_bad_answers_open_cases(world):
    invitation = services.evaluation_invite(order=world.wx_order)
    services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers={**FIVE_GOOD, "institution_4": "very_dissatisfied"},
    )
    assert RectificationCase.objects.get().reasons == ["institution_4"]


def test_callback_responsible_is_center_staff_over_the_region(world):
    from onestop.core.sla_watch import _RESPONSIBLE

    evaluation = _bad_review(world, institution_4="dissatisfied")
    resolver = _RESPONSIBLE["rectification_callback"]
    assert list(resolver(evaluation.rectification)) == [world.hm_center]


@pytest.mark.clause("HM 5.1")
def test_callback_and_confirmation_close_the_case(client, world, otp_login):
    evaluation = _bad_review(world, institution_4="dissatisfied")
    case = evaluation.rectification
    otp_login(world.hm_center)
    url = reverse("evaluations:case", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 200
    missing = client.post(url, {"method": "phone", "outcome": ""})
    assert missing.status_code == 200
    assert 'class="field-error"' in missing.content.decode()
    first = client.post(url, {"method": "phone", "outcome": "已电话回访，机构重新出具报告"})
    assert first.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    assert case.called_back_at is not None
    done = client.post(
        url, {"method": "phone", "outcome": "用户确认问题已解决", "user_confirmed": "on"}
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.user_confirmed
    assert case.closed_at is not None
    clock = SlaClock.objects.get(kind="rectification_callback", subject_id=str(case.pk))
    assert clock.stopped_at is not None
    assert clock.outcome == SlaOutcome.MET
    assert AuditEvent.objects.filter(action="evaluations.case_close").count() == 1
    with pytest.raises(InvalidTransition):
        services.rectification_callback_record(
            actor=world.hm_center, case=case, method="phone", outcome="再次", user_confirmed=True
        )


def test_callback_by_staff_of_another_region_refused(world):
    evaluation = _bad_review(world, institution_4="dissatisfied")
    with pytest.raises(NotAllowed):
        services.rectification_callback_record(
            actor=world.wx_center,
            case=evaluation.rectification,
            method="phone",
            outcome="越权",
            user_confirmed=True,
        )
    evaluation.rectification.refresh_from_db()
    assert evaluation.rectification.status == CaseStatus.OPEN
