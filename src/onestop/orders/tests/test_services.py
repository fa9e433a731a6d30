"""Placing orders and moving them through the state machine (WX App. A,
WX 7.2.2.2.1, HM 4.3.4.1): every move allowed and refused, the acceptance
clock, the expected completion in working days, events, audit and notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.core.models import SlaClock, SlaOutcome
from onestop.core.sla_watch import _RESPONSIBLE
from onestop.core.workdays import CalendarNotCovered
from onestop.demands.models import (
    ContactMethod,
    Demand,
    DemandSource,
    DemandStatus,
    Recommendation,
)
from onestop.enterprises.models import EnterpriseStatus
from onestop.fieldwork.models import FollowUp
from onestop.institutions.models import InstitutionStatus, OfferingStatus
from onestop.notifications.models import Delivery, Notification
from onestop.orders import rules, selectors, services
from onestop.orders.models import (
    ACCEPTANCE_CLOCK,
    Order,
    OrderEvent,
    OrderNumberCounter,
    OrderStatus,
    Party,
)
from onestop.orders.tests.conftest import enterprise_in, join, png, sh

pytestmark = pytest.mark.django_db

S = OrderStatus
NOTE = "说明：样品需补充铭牌照片。"


def clock_of(order: Order) -> SlaClock:
    return SlaClock.objects.get(
        subject_type=ContentType.objects.get_for_model(Order),
        subject_id=str(order.pk),
        kind=ACCEPTANCE_CLOCK,
    )


def kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True)
    )


def report(order, actor):
    return services.order_attach(actor=actor, order=order, kind="report", upload=png())


def to_status(order: Order, status: str) -> Order:
    Order.objects.filter(pk=order.pk).update(status=status)
    order.refresh_from_db()
    return order


# --- placing -------------------------------------------------------------------------------


@pytest.mark.clause("WX A")
@pytest.mark.clause("WX 7.2.2.2.1")
def test_placing_records_the_order_starts_the_clock_and_tells_the_institution(
    place, customer, lab_owner, lab_member, offering, institution, regions
):
    order = place(customer)

    assert order.number == "DD2026111800001"
    assert (order.status, order.institution, order.region) == (
        S.SUBMITTED,
        institution,
        regions["320281"],
    )
    assert order.enterprise is None
    event = order.events.get()
    assert (event.from_status, event.to_status, event.actor, event.party) == (
        "",
        S.SUBMITTED,
        customer,
        Party.USER,
    )
    clock = clock_of(order)
    # Wednesday 10:00 + 1 working day: due at 24:00 on Thursday.
    assert clock.due_at == sh(2026, 11, 20)
    assert clock.region == regions["320281"]
    assert kinds(lab_owner) == kinds(lab_member) == ["orders.placed"]
    assert Delivery.objects.filter(notification__recipient=lab_owner, channel="sms").exists()
    assert kinds(customer) == ["orders.submitted"]
    assert AuditEvent.objects.filter(action="orders.place", object_id=str(order.pk)).exists()
    assert str(order) == f"{order.number} 压力表校准"
    assert order.staff_url == f"/orders/manage/{order.number}/"


def test_numbers_run_per_day_and_start_again_the_next_day(place, customer, time_machine):
    first, second = place(customer), place(customer)
    assert [first.number, second.number] == ["DD2026111800001", "DD2026111800002"]
    time_machine.move_to(sh(2026, 11, 19, 9), tick=True)
    assert place(customer).number == "DD2026111900001"
    assert OrderNumberCounter.objects.get(day=dt.date(2026, 11, 18)).last == 2


def test_a_rolled_back_order_uses_no_number(place, customer, offering):
    with pytest.raises(InvalidInput):
        place(customer, description="短")
    assert place(customer).number.endswith("00001")


def test_the_same_order_posted_twice_is_one_order(place, customer):
    first = place(customer, description="校准压力表两只")
    again = place(customer, description="校准压力表两只")
    assert again.pk == first.pk
    assert Order.objects.count() == 1


def test_an_enterprise_account_orders_for_its_verified_enterprise(place, buyer, buyer_enterprise):
    order = place(buyer)
    assert order.enterprise == buyer_enterprise
    assert order.region == buyer_enterprise.region


def test_a_verified_person_may_order_for_their_enterprise(place, customer, buyer_enterprise):
    join(customer, buyer_enterprise)
    assert place(customer, enterprise=buyer_enterprise).enterprise == buyer_enterprise
    assert place(customer).enterprise is None


@pytest.mark.clause("WX A")
def test_users_who_are_not_verified_are_told_to_finish_verification(
    place, unverified, buyer_enterprise, make_user
):
    with pytest.raises(services.VerificationRequired) as refused:
        place(unverified)
    assert refused.value.code == "verification_required"

    pending = enterprise_in(
        buyer_enterprise.region,
        name="待认证企业",
        uscc="91320281MA1X2Y3W6H",
        status=EnterpriseStatus.PENDING,
    )
    member = make_user("enterprise", "320281", kind="enterprise")
    join(member, pending)
    with pytest.raises(services.VerificationRequired):
        place(member)
    with pytest.raises(services.VerificationRequired):
        place(member, enterprise=pending)
    assert Order.objects.count() == 0
    assert SlaClock.objects.count() == 0


def test_nobody_orders_for_an_enterprise_they_do_not_act_for(place, customer, buyer_enterprise):
    with pytest.raises(PermissionDeniedError):
        place(customer, enterprise=buyer_enterprise)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ("withdrawn", "not_orderable"),
        ("suspended", "not_orderable"),
        ("exited", "not_orderable"),
        ("expired", "not_orderable"),
    ],
)
def test_orders_for_what_cannot_be_ordered_are_refused(
    place, customer, offering, institution, cma, change, code
):
    if change == "withdrawn":
        offering.status = OfferingStatus.WITHDRAWN
        offering.save()
    elif change == "expired":
        cma.valid_to = dt.date(2026, 11, 17)
        cma.save()
    else:
        institution.status = (
            InstitutionStatus.SUSPENDED if change == "suspended" else InstitutionStatus.EXITED
        )
        institution.save()
    with pytest.raises(InvalidTransition) as refused:
        place(customer)
    assert refused.value.code == code
    assert Order.objects.count() == OrderEvent.objects.count() == SlaClock.objects.count() == 0


def test_an_institution_does_not_order_from_itself(place, lab_owner, lab_enterprise):
    with pytest.raises(InvalidInput):
        place(lab_owner)


def test_description_and_contact_are_checked(place, customer):
    with pytest.raises(InvalidInput) as short:
        place(customer, description="压力")
    assert short.value.field == "description"
    with pytest.raises(InvalidInput) as long:
        place(customer, description="压" * 2001)
    assert long.value.field == "description"
    with pytest.raises(InvalidInput) as contact:
        place(customer, contact_name="  ")
    assert contact.value.field == "contact_name"


# --- from a recommendation -------------------------------------------------------------------


@pytest.fixture
def demand(customer, category, regions, wx_center):
    return Demand.objects.create(
        number="XQ2026111800001",
        requester=customer,
        contact_name="赵先生",
        contact_method=ContactMethod.PHONE,
        category=category,
        title="压力表校准",
        description="需要校准车间压力表",
        region=regions["320281"],
        source=DemandSource.ONLINE,
        status=DemandStatus.RECOMMENDED,
    )


@pytest.fixture
def recommendation(demand, offering, institution, wx_center):
    return Recommendation.objects.create(
        demand=demand, offering=offering, institution=institution, recommended_by=wx_center
    )


@pytest.mark.clause("WX 7.2.2.2.2")
def test_an_accepted_recommendation_becomes_an_order(place, customer, demand, recommendation):
    with pytest.raises(InvalidTransition):
        place(customer, recommendation=recommendation)
    recommendation.accepted_at = sh(2026, 11, 18, 9)
    recommendation.save()

    order = place(customer, recommendation=recommendation)
    assert (order.demand, order.recommendation) == (demand, recommendation)


def test_a_demand_that_is_not_yours_is_refused(place, stranger, demand, recommendation):
    recommendation.accepted_at = sh(2026, 11, 18, 9)
    recommendation.save()
    with pytest.raises(services.DemandNotFound):
        place(stranger, recommendation=recommendation)
    with pytest.raises(services.DemandNotFound):
        place(stranger, demand=demand)
    assert Order.objects.count() == 0


# --- every move from every status ------------------------------------------------------------

# Who tries each move in the matrix: the institution's owner or the customer.
ACTOR = {
    "accept": "lab_owner",
    "decline": "lab_owner",
    "cancel": "customer",
    "start": "lab_owner",
    "wait": "lab_owner",
    "resume": "lab_owner",
    "deliver": "lab_owner",
    "complete": "customer",
    "rework": "customer",
}
# WX App. A / the state machine, written out (not derived from rules).
ALLOWED = {
    (S.SUBMITTED, "accept"): S.ACCEPTED,
    (S.SUBMITTED, "decline"): S.DECLINED,
    (S.SUBMITTED, "cancel"): S.CANCELLED,
    (S.ACCEPTED, "cancel"): S.CANCELLED,
    (S.ACCEPTED, "start"): S.IN_SERVICE,
    (S.IN_SERVICE, "wait"): S.WAITING_USER,
    (S.IN_SERVICE, "deliver"): S.DELIVERED,
    (S.WAITING_USER, "resume"): S.IN_SERVICE,
    (S.DELIVERED, "complete"): S.COMPLETED,
    (S.DELIVERED, "rework"): S.IN_SERVICE,
}


@pytest.mark.clause("WX A")
@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", rules.ACTIONS)
def test_every_move_from_every_status(order, customer, lab_owner, status, action):
    actor = {"lab_owner": lab_owner, "customer": customer}[ACTOR[action]]
    report(order, lab_owner)
    order = to_status(order, status)
    events = order.events.count()

    if (status, action) in ALLOWED:
        moved = services.order_act(actor=actor, order=order, action=action, note=NOTE)
        assert moved.status == ALLOWED[(status, action)]
        last = order.events.last()
        assert (last.from_status, last.to_status, last.actor, last.note) == (
            status,
            moved.status,
            actor,
            NOTE,
        )
        assert AuditEvent.objects.filter(action=f"orders.{action}").count() == 1
    else:
        with pytest.raises(InvalidTransition):
            services.order_act(actor=actor, order=order, action=action, note=NOTE)
        order.refresh_from_db()
        assert order.status == status
        assert order.events.count() == events
        assert not AuditEvent.objects.filter(action=f"orders.{action}").exists()


def test_a_move_for_the_other_side_is_refused(order, customer, lab_owner):
    with pytest.raises(services.NotOnThisOrder):
        services.order_accept(actor=customer, order=order)
    with pytest.raises(InvalidTransition):
        # The institution declines a submitted order; it cancels only accepted ones.
        services.order_cancel(actor=lab_owner, order=order, reason=NOTE)
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED
    assert order.events.count() == 1


def test_people_with_nothing_to_do_with_the_order_do_not_find_it(order, stranger, lz_center):
    for someone in (stranger, lz_center):
        with pytest.raises(selectors.OrderNotFound):
            services.order_cancel(actor=someone, order=order, reason=NOTE)
        with pytest.raises(selectors.OrderNotFound):
            services.order_message_post(actor=someone, order=order, body="你好")
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


def test_reasons_are_required(order, customer, lab_owner):
    with pytest.raises(InvalidInput) as missing:
        services.order_decline(actor=lab_owner, order=order, reason="  ")
    assert missing.value.field == "note"
    services.order_accept(actor=lab_owner, order=order)
    with pytest.raises(InvalidInput):
        services.order_cancel(actor=lab_owner, order=order, reason="")
    services.order_start(actor=lab_owner, order=order)
    with pytest.raises(InvalidInput):
        services.order_wait_for_user(actor=lab_owner, order=order, note="")
    with pytest.raises(InvalidInput):
        services.order_wait_for_user(actor=lab_owner, order=order, note="长" * 1001)
    assert Order.objects.get(pk=order.pk).status == S.IN_SERVICE


def test_the_user_cancels_until_the_work_starts(place, customer, lab_owner):
    submitted = place(customer)
    assert services.order_cancel(actor=customer, order=submitted).status == S.CANCELLED
    accepted = services.order_accept(actor=lab_owner, order=place(customer))
    assert services.order_cancel(actor=customer, order=accepted).status == S.CANCELLED
    started = services.order_start(
        actor=lab_owner, order=services.order_accept(actor=lab_owner, order=place(customer))
    )
    with pytest.raises(InvalidTransition):
        services.order_cancel(actor=customer, order=started)


def test_a_colleague_in_the_ordering_enterprise_acts_for_it(place, buyer, colleague, lab_owner):
    order = place(buyer)
    cancelled = services.order_cancel(actor=colleague, order=order)
    assert cancelled.events.last().actor == colleague


# --- the whole flow, the clock and the dates --------------------------------------------------


@pytest.mark.clause("WX A")
@pytest.mark.clause("HM 4.3.4.1")
@pytest.mark.clause("HM 4.3.4.2")
@pytest.mark.clause("WX 7.2.2.2.4")
def test_the_whole_flow_with_its_timeline_and_follow_up(order, customer, lab_owner, regions):
    services.order_accept(actor=lab_owner, order=order, price=Decimal("120.00"))
    services.order_start(actor=lab_owner, order=order)
    services.order_wait_for_user(actor=lab_owner, order=order, note="请寄送样品")
    services.order_resume(actor=customer, order=order, note="样品已寄出")
    with pytest.raises(InvalidInput) as no_report:
        services.order_deliver(actor=lab_owner, order=order)
    assert no_report.value.field == "report"
    assert Order.objects.get(pk=order.pk).status == S.IN_SERVICE
    report(order, lab_owner)
    services.order_deliver(actor=lab_owner, order=order)
    services.order_rework(actor=customer, order=order, reason="证书抬头有误")
    services.order_deliver(actor=lab_owner, order=order, note="已更正")
    done = services.order_complete(actor=customer, order=order, note="满意")

    assert done.status == S.COMPLETED
    assert done.completed_at is not None
    assert done.price == Decimal("120.00")
    assert [e.to_status for e in done.events.all()] == [
        S.SUBMITTED,
        S.ACCEPTED,
        S.IN_SERVICE,
        S.WAITING_USER,
        S.IN_SERVICE,
        S.DELIVERED,
        S.IN_SERVICE,
        S.DELIVERED,
        S.COMPLETED,
    ]
    follow_up = FollowUp.objects.get(order=done)
    # Completed Wednesday 18 Nov: five working days later is Wednesday 25 Nov.
    assert follow_up.due_on == dt.date(2026, 11, 25)
    assert "orders.deliver" in kinds(customer)
    assert "orders.complete" in kinds(lab_owner)
    # WX 7.3: completing invites the user to evaluate the service.
    assert done.evaluation_invitation.order_id == done.pk


@pytest.mark.clause("WX 7.2.2.2.1")
@pytest.mark.parametrize("how", ["accept", "decline", "cancel"])
def test_the_acceptance_clock_stops_when_the_institution_answers_or_the_user_cancels(
    order, customer, lab_owner, how
):
    assert selectors.acceptance_clock(order) is not None
    if how == "cancel":
        services.order_cancel(actor=customer, order=order)
    else:
        services.order_act(actor=lab_owner, order=order, action=how, note=NOTE)
    clock = clock_of(order)
    assert clock.stopped_at is not None
    assert clock.outcome == SlaOutcome.MET
    assert selectors.acceptance_clock(order) is None


@pytest.mark.clause("WX 7.2.2.2.1")
def test_an_answer_after_the_deadline_is_recorded_as_breached(order, lab_owner, time_machine):
    time_machine.move_to(sh(2026, 11, 20, 9), tick=True)
    services.order_accept(actor=lab_owner, order=order)
    assert clock_of(order).outcome == SlaOutcome.BREACHED


def test_the_institution_people_answer_for_the_acceptance_clock(order, lab_owner, lab_member):
    resolver = _RESPONSIBLE[ACCEPTANCE_CLOCK]
    assert {u.pk for u in resolver(order)} == {lab_owner.pk, lab_member.pk}


@pytest.mark.clause("HM 4.3.4.1")
def test_expected_completion_counts_working_days_from_acceptance(order, lab_owner):
    # Accepted Wednesday 18 Nov, 5 working days: 19, 20, 23, 24, 25 Nov.
    accepted = services.order_accept(actor=lab_owner, order=order)
    assert accepted.expected_completion == dt.date(2026, 11, 25)


@pytest.mark.clause("HM 4.3.4.1")
@pytest.mark.clause("WX 7.2.2.2.1")
def test_holidays_and_adjusted_working_days_count_as_the_calendar_says(
    place, customer, lab_owner, offering
):
    offering.turnaround_working_days = 3
    offering.save()
    with time_machine.travel(sh(2026, 9, 30, 10), tick=False):
        order = place(customer)
        # National Day: 1-7 Oct are rest days; due at the end of Thu 8 Oct.
        assert clock_of(order).due_at == sh(2026, 10, 9)
        accepted = services.order_accept(actor=lab_owner, order=order)
    # 8, 9 Oct and Saturday 10 Oct (an adjusted working day).
    assert accepted.expected_completion == dt.date(2026, 10, 10)


def test_an_uncovered_calendar_stops_the_acceptance_and_writes_nothing(order, lab_owner, offering):
    offering.turnaround_working_days = 60
    offering.save()
    with pytest.raises(CalendarNotCovered):
        services.order_accept(actor=lab_owner, order=order)
    order.refresh_from_db()
    assert (order.status, order.expected_completion) == (S.SUBMITTED, None)
    assert selectors.acceptance_clock(order) is not None


def test_prices_are_checked_and_a_suspended_institution_accepts_nothing(
    order, lab_owner, institution
):
    with pytest.raises(InvalidInput) as negative:
        services.order_accept(actor=lab_owner, order=order, price=Decimal("-1"))
    assert negative.value.field == "price"
    institution.status = InstitutionStatus.SUSPENDED
    institution.save()
    with pytest.raises(InvalidTransition):
        services.order_accept(actor=lab_owner, order=order)
    # It may still decline: the user should not wait for nothing.
    assert services.order_decline(actor=lab_owner, order=order, reason="暂停整改").status == (
        S.DECLINED
    )


# --- proxy handling, supervision and escalation --------------------------------------------------


@pytest.mark.clause("WX 5.3b")
@pytest.mark.clause("HM 4.2.5.2")
def test_a_station_acts_for_the_user_only_while_it_handles_the_order(
    order, customer, lab_owner, jy_station_staff, station
):
    report(order, lab_owner)
    with pytest.raises(services.NotOnThisOrder):
        services.order_cancel(actor=jy_station_staff, order=order)

    services.order_set_proxy(actor=jy_station_staff, order=order, station=station, note="全程代办")
    order.refresh_from_db()
    assert order.proxy_station == station
    assert order.events.last().kind == "proxy"
    assert "orders.proxy" in kinds(customer)
    for action in ("accept", "start", "deliver"):
        services.order_act(actor=lab_owner, order=order, action=action)
    done = services.order_complete(actor=jy_station_staff, order=order)
    last = done.events.last()
    assert (last.actor, last.party, last.to_status) == (jy_station_staff, Party.PROXY, S.COMPLETED)
    assert FollowUp.objects.get(order=done).station == station


def test_proxy_handling_needs_fieldwork_staff_of_the_region(
    order, station, lz_center, wx_authority
):
    for someone in (lz_center, wx_authority):
        with pytest.raises(PermissionDeniedError):
            services.order_set_proxy(actor=someone, order=order, station=station)
    assert Order.objects.get(pk=order.pk).proxy_station is None


def test_the_center_cancels_an_order_that_has_not_started_with_a_reason(
    order, wx_center, wx_authority, customer, lab_owner
):
    with pytest.raises(InvalidInput):
        services.order_cancel(actor=wx_center, order=order, reason="")
    with pytest.raises(services.NotOnThisOrder):
        services.order_cancel(actor=wx_authority, order=order, reason=NOTE)
    cancelled = services.order_cancel(actor=wx_center, order=order, reason="机构失联，中心协调取消")
    assert cancelled.events.last().party == Party.CENTER
    assert "orders.cancel" in kinds(customer)
    assert "orders.cancel" in kinds(lab_owner)


@pytest.mark.clause("HM 4.3.3.2")
def test_a_station_escalates_an_order_to_the_center_once(
    order, jy_station_staff, wx_center, lz_center, wx_authority, customer
):
    with pytest.raises(PermissionDeniedError):
        services.order_escalate(actor=wx_authority, order=order, reason="无法协调")
    with pytest.raises(PermissionDeniedError):
        services.order_escalate(actor=lz_center, order=order, reason="无法协调")

    escalated = services.order_escalate(
        actor=jy_station_staff, order=order, reason="机构与企业价格争议，站点无法协调"
    )
    assert escalated.escalated_at is not None
    assert escalated.events.last().kind == "escalated"
    assert kinds(wx_center) == ["orders.escalated"]
    assert kinds(lz_center) == []
    with pytest.raises(InvalidTransition):
        services.order_escalate(actor=jy_station_staff, order=order, reason="再次")
    queue = selectors.staff_queue(user=wx_center, filters=selectors.StaffFilter(escalated=True))
    assert list(queue) == [escalated]


# --- messages and attachments -------------------------------------------------------------


@pytest.mark.clause("HM 4.3.4.1")
@pytest.mark.clause("WX 5.1d")
def test_messages_go_between_the_user_the_institution_and_staff(
    order, customer, lab_owner, lab_member, wx_center
):
    services.order_message_post(actor=customer, order=order, body="请问何时可以送样？")
    assert kinds(lab_owner)[-1] == kinds(lab_member)[-1] == "orders.message"
    assert "orders.message" not in kinds(customer)

    services.order_message_post(actor=lab_owner, order=order, body="明天上午即可。")
    services.order_message_post(actor=wx_center, order=order, body="中心已关注此单。")
    assert kinds(customer).count("orders.message") == 2
    assert [m.author for m in order.messages.all()] == [customer, lab_owner, wx_center]
    audit = AuditEvent.objects.filter(action="orders.message").first()
    assert "请问" not in str(audit.changes)

    with pytest.raises(InvalidInput):
        services.order_message_post(actor=customer, order=order, body="   ")
    with pytest.raises(InvalidInput):
        services.order_message_post(actor=customer, order=order, body="长" * 2001)
    assert order.messages.count() == 3


def test_who_attaches_what(order, customer, lab_owner, wx_center, wx_authority):
    with pytest.raises(services.NotOnThisOrder):
        services.order_attach(actor=customer, order=order, kind="report", upload=png())
    with pytest.raises(InvalidInput):
        services.order_attach(actor=lab_owner, order=order, kind="invoice", upload=png())
    services.order_attach(actor=customer, order=order, kind="other", upload=png("nameplate.png"))
    services.order_attach(actor=lab_owner, order=order, kind="quote", upload=png("quote.png"))
    with pytest.raises(services.NotOnThisOrder):
        # Overseeing is reading: the authority adds no files.
        services.order_attach(actor=wx_authority, order=order, kind="other", upload=png())
    assert [a.kind for a in order.attachments.all()] == ["other", "quote"]
    assert "orders.attached" in kinds(lab_owner)

    services.order_cancel(actor=customer, order=order)
    with pytest.raises(InvalidTransition):
        services.order_attach(actor=lab_owner, order=order, kind="other", upload=png())
