"""The moves of a complaint (HM 5.6 stages; WX 7.4.3 clock and feedback)."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.audit.models import AuditEvent
from onestop.complaints import selectors, services
from onestop.complaints.models import Channel, ComplaintEvent, ComplaintStatus, Target
from onestop.complaints.tests.conftest import sh
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.core.models import SlaOutcome
from onestop.notifications.models import Delivery, Notification

S = ComplaintStatus


def _statuses(complaint) -> list[str]:
    return list(complaint.events.values_list("to_status", flat=True))


@pytest.mark.clause("HM 5.6", "WX 7.4.3")
def test_the_whole_path_each_move_an_event_an_audit_row_and_a_notice(
    complaint, advance, customer, lab_owner, wx_center
):
    closed = advance(complaint, "closed")
    assert closed.status == S.CLOSED
    assert _statuses(closed) == [
        S.RECEIVED,
        S.INVESTIGATING,
        S.FORWARDED,
        S.RESPONDED,
        S.CONCLUDED,
        S.FED_BACK,
        S.CLOSED,
    ]
    assert closed.satisfaction == "satisfied"
    assert closed.upheld is True
    assert closed.handler == wx_center
    actions = set(
        AuditEvent.objects.filter(
            object_id=closed.pk, action__startswith="complaints."
        ).values_list("action", flat=True)
    )
    assert actions == {
        "complaints.receive",
        "complaints.acknowledge",
        "complaints.forward",
        "complaints.respond",
        "complaints.conclude",
        "complaints.feed_back",
        "complaints.close",
    }
    # The complainant heard of every step others made (with the number); the
    # institution of the forwarding; the center of the response.
    told = Notification.objects.filter(recipient=customer).values_list("kind", flat=True)
    assert sorted(told) == [
        "complaints.concluded",
        "complaints.fed_back",
        "complaints.forwarded",
        "complaints.investigating",
        "complaints.responded",
    ]
    # Only the outcome carries words: the response and the conclusion stay internal.
    bodies = Notification.objects.filter(recipient=customer).exclude(body="")
    assert list(bodies.values_list("kind", flat=True)) == ["complaints.fed_back"]
    accepted = Notification.objects.get(recipient=customer, kind="complaints.investigating")
    assert closed.number in accepted.title
    assert Delivery.objects.filter(notification=accepted, channel="sms").exists()
    assert Notification.objects.filter(recipient=lab_owner, url=closed.institution_url).exists()
    assert Notification.objects.filter(recipient=wx_center, kind="complaints.center").exists()


@pytest.mark.clause("WX 7.4.3")
def test_the_clock_stops_when_forwarded_in_time(complaint, advance, time_machine):
    # Given the complaint received on Wednesday 18 November
    clock = selectors.running_clock(complaint)
    # When it is forwarded on Friday 27 November (the 7th working day)
    time_machine.move_to(sh(2026, 11, 27, 16, 0), tick=False)
    advance(complaint, "forwarded")
    # Then the clock stopped, met
    clock.refresh_from_db()
    assert clock.stopped_at == sh(2026, 11, 27, 16, 0)
    assert clock.outcome == SlaOutcome.MET
    assert selectors.running_clock(complaint) is None


@pytest.mark.clause("WX 7.4.3")
def test_forwarding_after_7_working_days_is_a_breach(complaint, advance, time_machine):
    time_machine.move_to(sh(2026, 11, 30, 9, 0), tick=False)  # Monday, the 8th working day
    advance(complaint, "forwarded")
    assert selectors.clocks_of(complaint)[0].outcome == SlaOutcome.BREACHED


@pytest.mark.clause("WX 7.4.3")
def test_a_complaint_about_a_station_is_concluded_by_the_center_and_the_clock_stops(
    file, station, wx_center
):
    complaint = file(target=Target.STATION, institution_id=None, station_id=station.pk)
    services.complaint_acknowledge(actor=wx_center, complaint=complaint)
    with pytest.raises(InvalidTransition):
        services.complaint_forward(actor=wx_center, complaint=complaint)
    concluded = services.complaint_conclude(
        actor=wx_center, complaint=complaint, conclusion="站点已整改。", upheld=False
    )
    assert concluded.status == S.CONCLUDED
    assert concluded.upheld is False
    assert selectors.clocks_of(complaint)[0].outcome == SlaOutcome.MET


def test_the_center_may_conclude_a_complaint_about_an_institution_directly(
    complaint, advance, wx_center
):
    advance(complaint, "investigating")
    concluded = services.complaint_conclude(
        actor=wx_center, complaint=complaint, conclusion="经调解双方已和解。", upheld=False
    )
    assert concluded.forwarded_at is None
    assert selectors.running_clock(complaint) is None


def test_conclusion_needs_text_and_a_decision(complaint, advance, wx_center):
    advance(complaint, "investigating")
    with pytest.raises(InvalidInput) as missing:
        services.complaint_conclude(
            actor=wx_center, complaint=complaint, conclusion="x", upheld=None
        )
    assert missing.value.field == "upheld"
    with pytest.raises(InvalidInput) as empty:
        services.complaint_conclude(
            actor=wx_center, complaint=complaint, conclusion=" ", upheld=True
        )
    assert empty.value.field == "note"
    complaint.refresh_from_db()
    assert complaint.status == S.INVESTIGATING


@pytest.mark.clause("HM 5.6")
def test_not_accepted_with_a_reason_the_complainant_reads(complaint, wx_center, customer):
    with pytest.raises(InvalidInput):
        services.complaint_not_accept(actor=wx_center, complaint=complaint, reason="")
    services.complaint_not_accept(actor=wx_center, complaint=complaint, reason="不属于受理范围。")
    notice = Notification.objects.get(recipient=customer, kind="complaints.not_accepted")
    assert notice.body == "不属于受理范围。"
    assert selectors.running_clock(complaint) is None


@pytest.mark.parametrize(
    ("reached", "action"),
    [
        ("received", "forward"),
        ("received", "close"),
        ("received", "conclude"),
        ("investigating", "acknowledge"),
        ("investigating", "feed_back"),
        ("forwarded", "acknowledge"),
        ("forwarded", "withdraw"),
        ("responded", "respond"),
        ("concluded", "close"),
        ("fed_back", "reopen"),
        ("closed", "close"),
    ],
)
def test_moves_not_in_the_table_change_nothing(
    complaint, advance, reached, action, wx_center, customer, lab_owner
):
    if reached != "received":
        complaint = advance(complaint, reached)
    actor = {"respond": lab_owner, "withdraw": customer, "close": customer}.get(action, wx_center)
    before = ComplaintEvent.objects.count()
    with pytest.raises(InvalidTransition):
        services.complaint_act(
            actor=actor,
            complaint=complaint,
            action=action,
            note="说明",
            satisfaction="satisfied",
            upheld=True,
        )
    complaint.refresh_from_db()
    assert complaint.status == reached
    assert ComplaintEvent.objects.count() == before


def test_only_the_right_side_moves(complaint, advance, customer, lab_owner, stranger, lz_center):
    # The complainant cannot acknowledge; someone unrelated does not even see it.
    with pytest.raises(services.NotOnThisComplaint):
        services.complaint_acknowledge(actor=customer, complaint=complaint)
    with pytest.raises(NotFound):
        services.complaint_acknowledge(actor=stranger, complaint=complaint)
    # The center of another region does not see it either.
    with pytest.raises(NotFound):
        services.complaint_acknowledge(actor=lz_center, complaint=complaint)
    # The institution sees nothing before it is forwarded.
    advance(complaint, "investigating")
    with pytest.raises(NotFound):
        services.complaint_respond(actor=lab_owner, complaint=complaint, response="答复")


def test_the_institution_responds_once_with_text(complaint, advance, lab_member):
    advance(complaint, "forwarded")
    with pytest.raises(InvalidInput):
        services.complaint_respond(actor=lab_member, complaint=complaint, response="")
    responded = services.complaint_respond(actor=lab_member, complaint=complaint, response="已处理")
    assert responded.institution_response == "已处理"
    with pytest.raises(InvalidTransition):
        services.complaint_respond(actor=lab_member, complaint=complaint, response="再次答复")


@pytest.mark.clause("HM 5.6")
def test_the_complainant_withdraws_before_it_is_forwarded(complaint, advance, customer):
    advance(complaint, "investigating")
    withdrawn = services.complaint_withdraw(
        actor=customer, complaint=complaint, reason="已协商解决"
    )
    assert withdrawn.status == S.WITHDRAWN
    assert selectors.running_clock(complaint) is None


@pytest.mark.clause("WX 7.4.3")
def test_feedback_goes_to_the_complainant_by_inbox_and_sms(complaint, advance, customer):
    advance(complaint, "fed_back")
    notice = Notification.objects.get(recipient=customer, kind="complaints.fed_back")
    assert notice.body == "机构已补发证书并致歉。"
    assert Delivery.objects.filter(notification=notice, channel="sms").exists()


def test_closing_needs_a_satisfaction(complaint, advance, customer):
    advance(complaint, "fed_back")
    with pytest.raises(InvalidInput) as refused:
        services.complaint_close(actor=customer, complaint=complaint, satisfaction="great")
    assert refused.value.field == "satisfaction"


@pytest.mark.clause("HM 5.6")
def test_the_center_closes_an_offline_complaint_after_the_callback(wx_center, institution, advance):
    complaint = services.complaint_register(
        actor=wx_center,
        channel=Channel.PHONE,
        complainant_name="顾先生",
        complainant_phone="13900000051",
        target=Target.INSTITUTION,
        institution_id=institution.pk,
        complaint_type="attitude",
        content="窗口人员态度生硬。",
        request="改进服务态度。",
    )
    services.complaint_acknowledge(actor=wx_center, complaint=complaint)
    services.complaint_conclude(
        actor=wx_center, complaint=complaint, conclusion="属实", upheld=True
    )
    services.complaint_feed_back(actor=wx_center, complaint=complaint, feedback="已整改")
    # Without saying what the complainant said: refused.
    with pytest.raises(InvalidInput):
        services.complaint_close(actor=wx_center, complaint=complaint, satisfaction="basically")
    closed = services.complaint_close(
        actor=wx_center, complaint=complaint, satisfaction="basically", note="回访：基本满意。"
    )
    assert closed.status == S.CLOSED
    assert closed.events.last().note == "回访：基本满意。"


def test_the_center_does_not_close_an_online_complaint_for_the_complainant(
    complaint, advance, wx_center
):
    advance(complaint, "fed_back")
    with pytest.raises(services.NotOnThisComplaint):
        services.complaint_close(
            actor=wx_center, complaint=complaint, satisfaction="satisfied", note="代为关闭"
        )


@pytest.mark.clause("HM 5.6", "WX 7.4.3")
def test_reopening_within_30_days_restarts_the_7_working_day_clock(
    complaint, advance, customer, wx_center, time_machine
):
    advance(complaint, "closed")
    # 29 days later (Thursday 17 December 2026) the complainant reopens it
    time_machine.move_to(sh(2026, 12, 17, 9, 0), tick=False)
    with pytest.raises(InvalidInput):
        services.complaint_reopen(actor=customer, complaint=complaint, reason="")
    reopened = services.complaint_reopen(
        actor=customer, complaint=complaint, reason="证书仍有错误。"
    )
    assert reopened.status == S.INVESTIGATING
    assert reopened.reopened_count == 1
    assert reopened.satisfaction == ""
    assert reopened.closed_at is None
    clocks = selectors.clocks_of(complaint)
    assert len(clocks) == 2
    assert clocks[0].outcome == SlaOutcome.MET
    assert clocks[1].started_at == sh(2026, 12, 17, 9, 0)
    assert clocks[1].due_at == sh(2026, 12, 29, 0, 0)  # the 7th working day, Monday 28th, ends
    assert Notification.objects.filter(recipient=wx_center, body="证书仍有错误。").exists()
    # And it runs the path again: forwarding stops the new clock.
    services.complaint_forward(actor=wx_center, complaint=reopened)
    assert [c.outcome for c in selectors.clocks_of(complaint)] == [SlaOutcome.MET] * 2


@pytest.mark.clause("HM 5.6")
def test_reopening_after_30_days_is_refused_with_a_clear_message(
    complaint, advance, customer, time_machine
):
    advance(complaint, "closed")
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=30, minutes=1))
    with pytest.raises(InvalidTransition) as refused:
        services.complaint_reopen(actor=customer, complaint=complaint, reason="还有问题")
    assert "30" in refused.value.message
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED
    assert complaint.reopened_count == 0


def test_unknown_actions_are_invalid_input(complaint, wx_center):
    with pytest.raises(InvalidInput):
        services.complaint_act(actor=wx_center, complaint=complaint, action="delete")
