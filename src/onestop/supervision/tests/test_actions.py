"""Corrective actions (HM 5.1, WX 7.4.1): each move allowed and refused,
who may act for each kind of target, regions, events, audit and notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from onestop.accounts.authz import NotAllowed
from onestop.audit.models import AuditEvent
from onestop.core.errors import InvalidInput, InvalidTransition, NotFound
from onestop.demands.tests import factories as f
from onestop.notifications.models import Notification
from onestop.supervision import rules, services
from onestop.supervision.models import (
    OVERDUE,
    ActionDocument,
    ActionEvent,
    ActionStatus,
    CorrectiveAction,
    SourceKind,
    TargetKind,
)

from .conftest import complaint, issue, make_overdue

pytestmark = [pytest.mark.django_db, pytest.mark.clause("HM 5.1")]


def _kinds(user) -> list[str]:
    """The kinds of the user's notices, oldest first."""
    notices = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    return list(notices.values_list("kind", flat=True))


# --- issuing -------------------------------------------------------------------------------


@pytest.mark.clause("WX 7.4.1")
def test_a_supervisor_issues_an_action_to_an_institution(wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)

    assert action.number == "ZG-2026-000001"
    assert action.status == ActionStatus.ISSUED
    assert action.region == institution.region
    assert action.target == institution
    assert action.due_on == dt.date(2026, 11, 28)
    [event] = ActionEvent.objects.filter(action=action)
    assert (event.from_status, event.to_status, event.actor) == ("", "issued", wx_supervisor)
    assert AuditEvent.objects.filter(
        action="supervision.action_issue", object_id=str(action.pk)
    ).exists()
    assert _kinds(owner) == ["supervision.action_issued"]


def test_a_due_date_in_working_days_comes_from_the_calendar(wx_supervisor, institution):
    # Wednesday 18 November 2026 + 3 working days: Thursday, Friday, Monday.
    action = issue(wx_supervisor, target=institution, due_on=None, due_working_days=3)

    assert action.due_on == dt.date(2026, 11, 23)


def test_a_due_date_across_a_holiday_skips_it(wx_supervisor, institution, time_machine):
    # Tuesday 29 September 2026; 1–7 October are the National Day holidays.
    time_machine.move_to(dt.datetime(2026, 9, 29, 10, 0, tzinfo=timezone.get_current_timezone()))

    action = issue(wx_supervisor, target=institution, due_on=None, due_working_days=3)

    assert action.due_on == dt.date(2026, 10, 9)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"due_on": None}, "due_on"),
        ({"due_working_days": 5}, "due_on"),  # both a date and working days
        ({"due_on": None, "due_working_days": 0}, "due_working_days"),
        ({"due_on": dt.date(2026, 11, 18)}, "due_on"),  # today
        ({"due_on": dt.date(2028, 1, 1)}, "due_on"),  # more than a year away
        ({"problem": "  "}, "problem"),
        ({"requirement": ""}, "requirement"),
        ({"inspection_reference": ""}, "inspection_reference"),
        ({"source_kind": SourceKind.COMPLAINT}, "complaint"),
        ({"source_kind": "rumour"}, "source_kind"),
        ({"problem": "问" * 2001}, "problem"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(wx_supervisor, institution, fields, field):
    with pytest.raises(InvalidInput) as refused:
        issue(wx_supervisor, target=institution, **fields)

    assert refused.value.field == field
    assert not CorrectiveAction.objects.exists()


def test_exactly_one_target_is_named(wx_supervisor, institution, station):
    with pytest.raises(InvalidInput):
        issue(wx_supervisor, target=institution, station=station)
    with pytest.raises(InvalidInput):
        issue(wx_supervisor, target_kind=TargetKind.STATION)
    assert not CorrectiveAction.objects.exists()


def test_only_a_supervisor_of_the_targets_region_issues(
    hm_supervisor, station_worker, owner, institution
):
    for outsider in (hm_supervisor, station_worker, owner):
        with pytest.raises(NotAllowed):
            issue(outsider, target=institution)
    assert not CorrectiveAction.objects.exists()


def test_the_authority_issues_too(make_user, institution):
    authority = make_user("authority", "320200", kind="staff")

    assert issue(authority, target=institution).issued_by == authority


def test_a_staff_member_is_addressed_in_the_region_of_their_role(
    wx_supervisor, hm_supervisor, station_worker, jiangyin
):
    action = issue(wx_supervisor, target=station_worker)

    assert action.target_kind == TargetKind.STAFF
    assert action.region == jiangyin
    with pytest.raises(NotFound):  # not a staff member of Hami
        issue(hm_supervisor, target=station_worker)
    with pytest.raises(InvalidInput):
        issue(wx_supervisor, target=wx_supervisor)


def test_a_person_without_a_staff_role_cannot_be_addressed(wx_supervisor, owner):
    with pytest.raises(NotFound):
        issue(wx_supervisor, target=owner)


def test_the_source_complaint_must_be_in_the_supervisors_regions(
    wx_supervisor, hm_supervisor, institution, owner, make_user, regions
):
    from onestop.demands.tests import factories as f

    hami_institution = f.institution(regions["650502"], "哈密市产品质量检验所")
    elsewhere = complaint(hami_institution, owner, upheld=True)
    here = complaint(institution, owner, upheld=True)

    with pytest.raises(InvalidInput) as refused:
        issue(
            wx_supervisor, target=institution, source_kind=SourceKind.COMPLAINT, complaint=elsewhere
        )
    assert refused.value.field == "complaint"

    action = issue(
        wx_supervisor, target=institution, source_kind=SourceKind.COMPLAINT, complaint=here
    )
    assert action.complaint == here


# --- evidence by each kind of target -----------------------------------------------------------


@pytest.mark.clause("LZ 6.5.3")
def test_the_institutions_people_submit_evidence_with_files(wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)

    done = services.corrective_action_submit_evidence(
        actor=owner, action=action, evidence="已重新出具报告并组织培训", uploads=[f.png("培训.png")]
    )

    assert done.status == ActionStatus.EVIDENCE_SUBMITTED
    assert done.evidence == "已重新出具报告并组织培训"
    [attached] = ActionDocument.objects.filter(action=action)
    assert attached.uploaded_by == owner
    assert attached.event.to_status == ActionStatus.EVIDENCE_SUBMITTED
    assert attached.document.region == action.region
    assert _kinds(wx_supervisor) == ["supervision.evidence_submitted"]


@pytest.mark.clause("HM 3.2")  # the service center supervises the stations' service quality
def test_the_stations_staff_submit_for_the_station(
    wx_supervisor, station, station_worker, make_user
):
    other_station = f.station(station.region, name="江阴市第二服务站")
    other_worker = f.station_staff(make_user, other_station)
    action = issue(wx_supervisor, target=station)

    with pytest.raises(services.NotTheTarget):
        services.corrective_action_submit_evidence(
            actor=other_worker, action=action, evidence="不是我们站"
        )
    done = services.corrective_action_submit_evidence(
        actor=station_worker, action=action, evidence="已调整窗口排班"
    )

    assert done.status == ActionStatus.EVIDENCE_SUBMITTED
    assert _kinds(station_worker) == ["supervision.action_issued"]


def test_a_staff_member_answers_in_person(wx_supervisor, station, station_worker, make_user):
    colleague = f.station_staff(make_user, station)
    action = issue(wx_supervisor, target=station_worker)

    with pytest.raises(services.NotTheTarget):  # same station, another person
        services.corrective_action_submit_evidence(actor=colleague, action=action, evidence="代交")
    services.corrective_action_submit_evidence(
        actor=station_worker, action=action, evidence="已学习服务规范"
    )

    action.refresh_from_db()
    assert action.status == ActionStatus.EVIDENCE_SUBMITTED


def test_nobody_else_submits_evidence(wx_supervisor, institution, station_worker, make_user):
    stranger = make_user("enterprise", "320281", kind="enterprise")
    action = issue(wx_supervisor, target=institution)

    for outsider in (stranger, station_worker, wx_supervisor):
        with pytest.raises(services.NotTheTarget):
            services.corrective_action_submit_evidence(
                actor=outsider, action=action, evidence="冒充提交"
            )

    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED
    assert ActionEvent.objects.filter(action=action).count() == 1


def test_evidence_needs_text_and_at_most_five_files(wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)

    with pytest.raises(InvalidInput):
        services.corrective_action_submit_evidence(actor=owner, action=action, evidence=" ")
    with pytest.raises(InvalidInput):
        services.corrective_action_submit_evidence(
            actor=owner, action=action, evidence="整改完毕", uploads=[f.png() for _ in range(6)]
        )

    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED
    assert not ActionDocument.objects.exists()


# --- the supervisor's decisions ----------------------------------------------------------------


@pytest.fixture
def submitted(wx_supervisor, institution, owner) -> CorrectiveAction:
    action = issue(wx_supervisor, target=institution)
    return services.corrective_action_submit_evidence(
        actor=owner, action=action, evidence="已重新出具报告"
    )


def test_verify_closes_the_action(wx_supervisor, submitted, owner):
    done = services.corrective_action_verify(actor=wx_supervisor, action=submitted, note="核实无误")

    assert done.status == ActionStatus.VERIFIED
    assert done.closed_by == wx_supervisor
    assert done.closed_at is not None
    assert "supervision.action_verified" in _kinds(owner)
    assert [e.to_status for e in ActionEvent.objects.filter(action=done)] == [
        "issued",
        "evidence_submitted",
        "verified",
    ]


def test_reject_sends_the_evidence_back_and_the_target_resubmits(wx_supervisor, submitted, owner):
    new_due = dt.date(2026, 12, 4)

    sent_back = services.corrective_action_reject_evidence(
        actor=wx_supervisor, action=submitted, reason="未附培训签到表", due_on=new_due
    )

    assert sent_back.status == ActionStatus.REJECTED_EVIDENCE
    assert sent_back.due_on == new_due
    assert _kinds(owner) == ["supervision.action_issued", "supervision.evidence_rejected"]
    again = services.corrective_action_submit_evidence(
        actor=owner, action=sent_back, evidence="补充培训签到表", uploads=[f.png()]
    )
    assert again.status == ActionStatus.EVIDENCE_SUBMITTED
    assert AuditEvent.objects.filter(action="supervision.action_reject").count() == 1


def test_a_rejection_needs_a_reason(wx_supervisor, submitted):
    with pytest.raises(InvalidInput):
        services.corrective_action_reject_evidence(actor=wx_supervisor, action=submitted, reason="")

    submitted.refresh_from_db()
    assert submitted.status == ActionStatus.EVIDENCE_SUBMITTED


def test_cancel_with_a_reason_from_any_open_state(wx_supervisor, institution, submitted, owner):
    issued = issue(wx_supervisor, target=institution)

    with pytest.raises(InvalidInput):
        services.corrective_action_cancel(actor=wx_supervisor, action=issued, reason=" ")
    for action in (issued, submitted):
        done = services.corrective_action_cancel(
            actor=wx_supervisor, action=action, reason="经复核不属违规"
        )
        assert done.status == ActionStatus.CANCELLED
    assert AuditEvent.objects.filter(action="supervision.action_cancel").count() == 2


@pytest.mark.parametrize(
    ("move", "kwargs"),
    [
        (services.corrective_action_verify, {}),
        (services.corrective_action_reject_evidence, {"reason": "不合格"}),
    ],
)
def test_the_supervisor_cannot_decide_before_evidence(wx_supervisor, institution, move, kwargs):
    action = issue(wx_supervisor, target=institution)

    with pytest.raises(InvalidTransition):
        move(actor=wx_supervisor, action=action, **kwargs)

    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED


def test_a_closed_action_does_not_move(wx_supervisor, submitted, owner):
    services.corrective_action_verify(actor=wx_supervisor, action=submitted)

    with pytest.raises(InvalidTransition):
        services.corrective_action_cancel(actor=wx_supervisor, action=submitted, reason="撤销")
    with pytest.raises(InvalidTransition):
        services.corrective_action_submit_evidence(actor=owner, action=submitted, evidence="再交")
    with pytest.raises(InvalidTransition):
        services.corrective_action_verify(actor=wx_supervisor, action=submitted)


def test_decisions_belong_to_supervisors_of_the_region(
    hm_supervisor, station_worker, owner, submitted
):
    for outsider in (hm_supervisor, station_worker, owner):
        for move, kwargs in (
            (services.corrective_action_verify, {}),
            (services.corrective_action_reject_evidence, {"reason": "不合格"}),
            (services.corrective_action_cancel, {"reason": "撤销"}),
        ):
            with pytest.raises(NotAllowed):
                move(actor=outsider, action=submitted, **kwargs)

    submitted.refresh_from_db()
    assert submitted.status == ActionStatus.EVIDENCE_SUBMITTED


def test_the_rules_table_names_each_move():
    assert set(rules.TRANSITIONS) == {"submit", "verify", "reject", "cancel"}
    assert rules.TRANSITIONS["cancel"].needs_note
    assert ActionStatus.VERIFIED not in rules.TRANSITIONS["cancel"].sources


# --- overdue is a view, not a state ------------------------------------------------------


def test_overdue_is_computed_from_the_due_date(wx_supervisor, institution, owner):
    action = issue(wx_supervisor, target=institution)
    assert action.state == ActionStatus.ISSUED

    make_overdue(action)

    assert action.status == ActionStatus.ISSUED
    assert action.state == OVERDUE
    assert action.is_overdue()
    # The due date itself still counts as in time.
    assert not action.is_overdue(today=action.due_on)
    services.corrective_action_submit_evidence(actor=owner, action=action, evidence="逾期提交")
    services.corrective_action_verify(actor=wx_supervisor, action=action)
    action.refresh_from_db()
    assert action.state == ActionStatus.VERIFIED


def test_state_label_names_overdue(wx_supervisor, institution):
    from django.utils import translation

    action = make_overdue(issue(wx_supervisor, target=institution))

    with translation.override("en"):
        assert action.state_label == "Overdue (Issued, awaiting correction)"


def test_numbers_follow_each_other_within_the_year(wx_supervisor, institution, station):
    first = issue(wx_supervisor, target=institution)
    second = issue(wx_supervisor, target=station)

    assert (first.number, second.number) == ("ZG-2026-000001", "ZG-2026-000002")
    assert timezone.localdate().year == 2026


def test_a_refused_file_stores_nothing(wx_supervisor, institution, owner):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = issue(wx_supervisor, target=institution)
    script = SimpleUploadedFile("证据.png", b"#!/bin/sh\necho hi\n", content_type="image/png")

    with pytest.raises(InvalidInput):
        services.corrective_action_submit_evidence(
            actor=owner, action=action, evidence="整改完毕", uploads=[f.png(), script]
        )

    action.refresh_from_db()
    assert action.status == ActionStatus.ISSUED
    assert action.evidence == ""
    assert not ActionDocument.objects.exists()
    assert ActionEvent.objects.filter(action=action).count() == 1
