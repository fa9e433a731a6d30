"""Consultations (WX 7.3, HM A part one): a demand the service center
answered and closed without an order invites the user to evaluate the
center; Hami asks part one of Appendix A, other profiles the five-level
consultation form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.catalog.models import ServiceCategory
from onestop.core.errors import InvalidInput
from onestop.demands.models import ContactMethod, Demand, DemandSource, DemandStatus
from onestop.demands.services import demand_close
from onestop.evaluations import services
from onestop.evaluations.models import Invitation, RectificationCase
from onestop.evaluations.surveys import CONSULTATION_CODE, HM_CODE

from .conftest import HM_GOOD

pytestmark = pytest.mark.django_db

CENTER_GOOD = {key: value for key, value in HM_GOOD.items() if key.startswith("center_")}


def _answered_demand(user, region, *, number: str) -> Demand:
    category = ServiceCategory.objects.get_or_create(
        code="consulting", defaults={"name": "质量咨询"}
    )[0]
    return Demand.objects.create(
        number=number,
        requester=user,
        contact_name=user.display_name,
        contact_method=ContactMethod.INBOX,
        category=category,
        title="如何办理计量器具强制检定",
        description="想了解强检目录和办理流程",
        region=region,
        source=DemandSource.ONLINE,
        status=DemandStatus.RESPONDED,
    )


@pytest.mark.clause("HM A")
def test_closing_an_answered_consultation_invites_part_one_only(client, world):
    demand = _answered_demand(world.user, world.hami, number="XQ202611180000001")
    demand_close(actor=world.hm_center, demand=demand, note="已电话解答强检流程。")
    invitation = Invitation.objects.get(demand=demand)
    assert invitation.form.code == HM_CODE
    assert invitation.parts == ["center"]
    assert {q["part"] for q in invitation.asked_questions()} == {"center"}

    url = services.invitation_url(invitation)
    page = client.get(url).content.decode()
    assert 'id="q-center_1"' in page
    assert 'id="q-institution_1"' not in page
    response = client.post(url, CENTER_GOOD)
    assert response.status_code == 200
    evaluation = invitation.evaluation
    assert evaluation.institution is None
    assert evaluation.institution_score is None
    assert evaluation.demand == demand
    assert evaluation.subject_number == demand.number


@pytest.mark.clause("WX 7.3")
def test_wuxi_consultation_uses_the_five_level_center_form(world):
    demand = _answered_demand(world.wx_user, world.wuxi, number="XQ202611180000002")
    demand_close(actor=world.wx_center, demand=demand, note="已答复。")
    invitation = Invitation.objects.get(demand=demand)
    assert invitation.form.code == CONSULTATION_CODE
    keys = {q["key"] for q in invitation.asked_questions()}
    assert "center_flow" in keys
    with pytest.raises(InvalidInput):  # a question of an order's form is not asked here
        services.evaluation_submit(
            token=services.invitation_token(invitation), answers={"institution_1": "satisfied"}
        )


@pytest.mark.clause("HM 5.2")
def test_a_bad_consultation_review_opens_a_case_without_institution(world):
    demand = _answered_demand(world.user, world.hami, number="XQ202611180000003")
    demand_close(actor=world.hm_center, demand=demand, note="已答复。")
    invitation = Invitation.objects.get(demand=demand)
    services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers={**CENTER_GOOD, "center_5": "no"},
    )
    case = RectificationCase.objects.get()
    assert case.institution is None
    assert case.reasons == ["center_5"]


@pytest.mark.clause("WX 7.3")
def test_no_invitation_for_unanswered_or_ordered_demands(world, make_user):
    unanswered = _answered_demand(world.user, world.hami, number="XQ202611180000004")
    Demand.objects.filter(pk=unanswered.pk).update(status=DemandStatus.PUBLISHED)
    unanswered.refresh_from_db()
    demand_close(actor=world.hm_center, demand=unanswered, note="重复提交，关闭。")
    assert not Invitation.objects.filter(demand=unanswered).exists()


@pytest.mark.clause("WX 7.3")
def test_the_case_queue_shows_consultations(client, world, otp_login):
    demand = _answered_demand(world.user, world.hami, number="XQ202611180000005")
    demand_close(actor=world.hm_center, demand=demand, note="已答复。")
    invitation = Invitation.objects.get(demand=demand)
    services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers={**CENTER_GOOD, "center_4": "dissatisfied"},
    )
    otp_login(world.hm_center)
    page = client.get(reverse("evaluations:case_queue")).content.decode()
    assert demand.number in page
