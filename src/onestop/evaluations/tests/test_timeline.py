"""The history of a review's follow-up: every step of a rectification case
and of an appeal writes one event in its own transaction, and each reader's
page shows what that reader may see of it (WX 7.3, HM 5.1, HM 5.2)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from onestop.accounts.authz import NotAllowed
from onestop.core.errors import InvalidInput
from onestop.evaluations import services
from onestop.evaluations.models import Evaluation, EvaluationEvent, EventKind

from .conftest import FIVE_GOOD, HM_GOOD, make_order

pytestmark = pytest.mark.django_db

CALLBACK_NOTE = "已电话联系赵先生，机构承诺重新出具报告"
GROUNDS = "交付记录显示按期完成，评价不实。"
DECISION = "经回访核实，评价属实，维持评价。"


def _review(world, order=None, **changes) -> Evaluation:
    order = order or world.hm_order
    base = HM_GOOD if order.region == world.hami else FIVE_GOOD
    invitation = services.evaluation_invite(order=order)
    return services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers={**base, **changes},
        comment="报告晚了三天",
        enterprise_name="哈密某某有限公司",
        signer="赵总",
    )


def _kinds(evaluation: Evaluation) -> list[str]:
    return list(
        EvaluationEvent.objects.filter(evaluation=evaluation).values_list("kind", flat=True)
    )


# --- each step writes exactly one event ----------------------------------------------------


@pytest.mark.clause("HM 5.1")
def test_a_bad_review_opens_its_case_with_one_event_by_the_platform(world):
    evaluation = _review(world, institution_4="dissatisfied")

    (event,) = EvaluationEvent.objects.filter(evaluation=evaluation)
    assert event.kind == EventKind.CASE_OPENED
    assert event.actor is None


def test_a_good_review_has_no_events(world):
    evaluation = _review(world)

    assert _kinds(evaluation) == []


@pytest.mark.clause("HM 5.1")
def test_a_callback_then_the_confirmation_each_write_one_event(world):
    evaluation = _review(world, institution_4="dissatisfied")
    case = evaluation.rectification

    services.rectification_callback_record(
        actor=world.hm_center,
        case=case,
        method="phone",
        outcome=CALLBACK_NOTE,
        user_confirmed=False,
    )
    assert _kinds(evaluation) == [EventKind.CASE_OPENED, EventKind.CALLED_BACK]
    services.rectification_callback_record(
        actor=world.hm_center,
        case=case,
        method="visit",
        outcome="用户确认已解决",
        user_confirmed=True,
    )

    events = list(EvaluationEvent.objects.filter(evaluation=evaluation))
    assert [e.kind for e in events] == [
        EventKind.CASE_OPENED,
        EventKind.CALLED_BACK,
        EventKind.CASE_CLOSED,
    ]
    assert [e.actor for e in events[1:]] == [world.hm_center, world.hm_center]
    assert [e.note for e in events[1:]] == [CALLBACK_NOTE, "用户确认已解决"]


def test_a_refused_callback_writes_no_event(world):
    evaluation = _review(world, institution_4="dissatisfied")

    with pytest.raises(NotAllowed):
        services.rectification_callback_record(
            actor=world.wx_center,
            case=evaluation.rectification,
            method="phone",
            outcome="越权",
            user_confirmed=True,
        )
    with pytest.raises(InvalidInput):
        services.rectification_callback_record(
            actor=world.hm_center,
            case=evaluation.rectification,
            method="phone",
            outcome=" ",
            user_confirmed=True,
        )

    assert _kinds(evaluation) == [EventKind.CASE_OPENED]


@pytest.mark.clause("WX 7.3")
@pytest.mark.parametrize(
    ("upheld", "kind"), [(True, EventKind.APPEAL_UPHELD), (False, EventKind.APPEAL_REJECTED)]
)
def test_lodging_and_deciding_an_appeal_each_write_one_event(world, upheld, kind):
    evaluation = _review(world, world.wx_order, institution_4="very_dissatisfied")
    before = _kinds(evaluation)

    appeal = services.appeal_lodge(actor=world.wx_person, evaluation=evaluation, reason=GROUNDS)
    assert _kinds(evaluation) == [*before, EventKind.APPEAL_LODGED]
    services.appeal_decide(actor=world.wx_center, appeal=appeal, upheld=upheld, decision=DECISION)

    lodged, decided = EvaluationEvent.objects.filter(evaluation=evaluation)[len(before) :]
    assert (lodged.actor, lodged.note) == (world.wx_person, GROUNDS)
    assert (decided.kind, decided.actor, decided.note) == (kind, world.wx_center, DECISION)


def test_a_refused_decision_writes_no_event(world):
    evaluation = _review(world, world.wx_order)
    appeal = services.appeal_lodge(actor=world.wx_person, evaluation=evaluation, reason=GROUNDS)

    with pytest.raises(InvalidInput):
        services.appeal_decide(actor=world.wx_center, appeal=appeal, upheld=True, decision="短")

    assert _kinds(evaluation) == [EventKind.APPEAL_LODGED]


# --- the pages -----------------------------------------------------------------------------


def _followed_up(world) -> Evaluation:
    """An anonymous (HM Appendix A) bad review: called back, closed, appealed, rejected."""
    evaluation = _review(world, institution_4="dissatisfied")
    services.rectification_callback_record(
        actor=world.hm_center,
        case=evaluation.rectification,
        method="phone",
        outcome=CALLBACK_NOTE,
        user_confirmed=True,
    )
    appeal = services.appeal_lodge(actor=world.hm_person, evaluation=evaluation, reason=GROUNDS)
    services.appeal_decide(actor=world.hm_center, appeal=appeal, upheld=False, decision=DECISION)
    return evaluation


def _timeline(html: str, timeline_id: str = "timeline") -> str:
    start = html.index(f'<ol class="timeline" id="{timeline_id}">')
    return html[start : html.index("</ol>", start)]


def _shown_kinds(timeline: str) -> list[str]:
    return re.findall(r'data-kind="([a-z_]+)"', timeline)


EVERY_STEP = [
    EventKind.CASE_OPENED,
    EventKind.CASE_CLOSED,
    EventKind.APPEAL_LODGED,
    EventKind.APPEAL_REJECTED,
]


@pytest.mark.clause("HM 5.1")
def test_the_center_sees_every_step_with_names_and_notes(
    client, world, otp_login, django_assert_num_queries
):
    evaluation = _followed_up(world)
    otp_login(world.hm_center)
    client.get(reverse("evaluations:case_queue"))  # the session is saved once after login

    with django_assert_num_queries(7):
        case_page = client.get(
            reverse("evaluations:case", kwargs={"pk": evaluation.rectification.pk})
        )
    with django_assert_num_queries(7):
        appeal_page = client.get(evaluation.appeal.staff_url)

    for response in (case_page, appeal_page):
        timeline = _timeline(response.content.decode())
        assert _shown_kinds(timeline) == EVERY_STEP
        for text in (CALLBACK_NOTE, GROUNDS, DECISION, "哈密中心王磊", "哈检王经理"):
            assert text in timeline, text


@pytest.mark.clause("HM 5.2")
def test_the_institution_never_sees_the_rater_in_an_anonymous_reviews_timeline(
    client, world, django_assert_num_queries
):
    evaluation = _followed_up(world)
    assert evaluation.form.anonymous_to_provider
    client.force_login(world.hm_person)
    url = reverse("evaluations:institution_appeal", kwargs={"pk": evaluation.pk})

    with django_assert_num_queries(6):
        page = client.get(url).content.decode()

    timeline = _timeline(page)
    assert _shown_kinds(timeline) == EVERY_STEP
    assert GROUNDS in timeline
    assert DECISION in timeline
    # the callback's note names the rater; neither it nor any staff name is shown
    for secret in ("赵先生", "赵总", "哈密某某有限公司", CALLBACK_NOTE, "哈密中心王磊"):
        assert secret not in page, secret


@pytest.mark.clause("HM 5.1")
def test_the_rater_sees_the_follow_up_of_their_case_but_not_the_appeal(
    client, world, django_assert_num_queries
):
    evaluation = _followed_up(world)
    client.force_login(world.user)

    with django_assert_num_queries(6):
        page = client.get(reverse("evaluations:my_list")).content.decode()

    timeline = _timeline(page, f"timeline-{evaluation.pk}")
    assert _shown_kinds(timeline) == [EventKind.CASE_OPENED, EventKind.CASE_CLOSED]
    assert CALLBACK_NOTE in timeline
    for hidden in (GROUNDS, DECISION, "哈密中心王磊", "哈检王经理"):
        assert hidden not in page, hidden


def test_the_raters_page_is_theirs_alone_and_its_queries_do_not_grow(
    client, world, django_assert_num_queries
):
    evaluation = _followed_up(world)
    for _ in range(3):
        order = make_order(world.user, world.hm_offering, region=world.hami)
        _review(world, order, institution_2="dissatisfied")
    client.force_login(world.user)

    with django_assert_num_queries(6):
        page = client.get(reverse("evaluations:my_list")).content.decode()

    assert page.count('<ol class="timeline"') == 4
    client.force_login(world.wx_user)
    other = client.get(reverse("evaluations:my_list")).content.decode()
    assert f'id="evaluation-{evaluation.pk}"' not in other
    assert CALLBACK_NOTE not in other


def test_the_migration_dates_the_steps_of_existing_cases_and_appeals(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("onestop.evaluations.migrations.0005_evaluation_events")
    evaluation = _followed_up(world)
    written = [(e.kind, e.actor_id, e.note) for e in EvaluationEvent.objects.all()]
    EvaluationEvent.objects.all().delete()

    migration.backfill(apps, None)

    events = list(EvaluationEvent.objects.filter(evaluation=evaluation))
    assert [(e.kind, e.actor_id, e.note) for e in events] == written
    evaluation = Evaluation.objects.select_related("rectification", "appeal").get(pk=evaluation.pk)
    case, appeal = evaluation.rectification, evaluation.appeal
    assert [e.at for e in events] == [
        case.opened_at,
        case.called_back_at,
        appeal.lodged_at,
        appeal.decided_at,
    ]
