"""Writes of the working-day calendar and the SLA clocks."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.audit.models import AuditEvent
from onestop.core import services, workdays
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.core.models import CalendarDay, CalendarYear, SlaClock, SlaOutcome, SlaPause
from onestop.core.workdays import TZ, CalendarNotCovered

HOUR = dt.timedelta(hours=1)


def sh(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def admin(make_user):
    return make_user("sysadmin")


@pytest.fixture
def subject(regions):
    """Any saved model instance can be a clock's subject."""
    return regions["450202"]


def start(subject, *, at: dt.datetime, days: int = 3, kind: str = "response") -> SlaClock:
    return services.sla_clock_start(
        subject=subject, kind=kind, working_days=days, started_at=at, region=subject
    )


# --- calendar ------------------------------------------------------------------


def test_calendar_day_set_writes_the_day_and_an_audit_event(admin) -> None:
    # when
    day = services.calendar_day_set(
        actor=admin, date=dt.date(2027, 1, 1), is_workday=False, name="元旦"
    )
    # then
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).is_workday is False
    event = AuditEvent.objects.get(action="calendar.day_set")
    assert event.actor_id == admin.pk
    assert event.object_id == str(day.pk)
    assert event.changes == {"date": "2027-01-01", "is_workday": False, "name": "元旦"}

    # when the same date is set again it is updated, and audited again
    services.calendar_day_set(actor=admin, date=dt.date(2027, 1, 1), is_workday=True)
    assert CalendarDay.objects.filter(date=dt.date(2027, 1, 1)).count() == 1
    assert CalendarDay.objects.get(date=dt.date(2027, 1, 1)).is_workday is True
    assert AuditEvent.objects.filter(action="calendar.day_set").count() == 2


def test_calendar_day_delete(admin) -> None:
    services.calendar_day_set(actor=admin, date=dt.date(2027, 1, 1), is_workday=False)
    services.calendar_day_delete(actor=admin, date=dt.date(2027, 1, 1))
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="calendar.day_delete").count() == 1
    with pytest.raises(InvalidInput):
        services.calendar_day_delete(actor=admin, date=dt.date(2027, 1, 1))


def test_calendar_year_declare_refuses_a_library_year(admin) -> None:
    services.calendar_day_set(actor=admin, date=dt.date(2026, 10, 8), is_workday=False)
    with pytest.raises(InvalidInput) as excinfo:
        services.calendar_year_declare(actor=admin, year=2026)
    assert "2026" in excinfo.value.message
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.year_declare").exists()


def test_calendar_year_declare_refuses_a_year_without_entered_days(admin) -> None:
    # days of 2027 do not make 2028 declarable
    services.calendar_day_set(actor=admin, date=dt.date(2027, 1, 1), is_workday=False)
    with pytest.raises(InvalidInput) as excinfo:
        services.calendar_year_declare(actor=admin, year=2028)
    assert "2028" in excinfo.value.message
    assert not CalendarYear.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.year_declare").exists()


@pytest.mark.parametrize("year", [1999, 2101, 0, -2027, 20270])
def test_calendar_year_declare_refuses_years_out_of_range(admin, year: int) -> None:
    with pytest.raises(InvalidInput):
        services.calendar_year_declare(actor=admin, year=year)
    assert not CalendarYear.objects.exists()


def test_calendar_year_declare_succeeds_and_audits(admin) -> None:
    # given New Year's Day 2027 entered
    services.calendar_day_set(actor=admin, date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    assert not workdays.is_covered(2027)
    # when
    declared = services.calendar_year_declare(actor=admin, year=2027, source="国办发明电")
    # then
    assert declared.year == 2027
    assert CalendarYear.objects.get(year=2027).declared_by == admin
    assert workdays.is_covered(2027)
    event = AuditEvent.objects.get(action="calendar.year_declare")
    assert event.actor_id == admin.pk
    assert event.changes == {"year": 2027, "source": "国办发明电", "days_entered": 1}


# --- starting a clock ------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
@pytest.mark.clause("HM 4.1.3")  # rules with explicit targets: deadlines as data
def test_sla_clock_start_computes_due_and_at_risk(subject) -> None:
    # given a recommendation due in 3 working days from Wed 30 Sep 2026 10:00
    clock = start(subject, at=sh(2026, 9, 30, 10, 0), days=3)
    clock.refresh_from_db()
    # then due at 24:00 on Sat 10 Oct (Oct 1–7 rest; Oct 8, 9, 10 working)
    assert clock.due_at == sh(2026, 10, 11)
    # budget: 14 h on Sep 30 + 3 × 24 h = 86 h; half is 43 h: 14 h, then 24 h
    # on Oct 8, then 5 h on Oct 9
    assert clock.at_risk_at == sh(2026, 10, 9, 5, 0)
    assert clock.subject == subject
    assert clock.region == subject
    assert clock.working_days == 3
    assert clock.is_running
    assert clock.outcome == ""


def test_sla_clock_start_defaults_to_now(subject) -> None:
    import time_machine

    with time_machine.travel(sh(2026, 3, 6, 17, 0), tick=False):
        clock = start(subject, at=None, days=1)  # type: ignore[arg-type]
    assert clock.started_at == sh(2026, 3, 6, 17, 0)
    assert clock.due_at == sh(2026, 3, 10)


def test_sla_clock_start_needs_a_working_day(subject) -> None:
    with pytest.raises(InvalidInput):
        start(subject, at=sh(2026, 3, 2, 9), days=0)
    assert not SlaClock.objects.exists()


@pytest.mark.clause("WX 7.2.2.2.1")
def test_sla_clock_start_in_an_uncovered_year_raises_and_writes_nothing(subject) -> None:
    with pytest.raises(CalendarNotCovered) as excinfo:
        start(subject, at=sh(2026, 12, 30, 10, 0), days=3)
    assert excinfo.value.code == "calendar_not_covered"
    assert excinfo.value.year == 2027
    assert not SlaClock.objects.exists()


def test_sla_clock_start_in_a_declared_year(admin, subject) -> None:
    services.calendar_day_set(actor=admin, date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    services.calendar_year_declare(actor=admin, year=2027)
    clock = start(subject, at=sh(2026, 12, 30, 10, 0), days=3)
    assert clock.due_at == sh(2027, 1, 6)


# --- pause and resume --------------------------------------------------------------


def test_pause_and_resume_push_due_back_by_the_working_time_lost(subject) -> None:
    # given a clock from Mon 2 Mar 2026 09:00, due 24:00 Thu 5 Mar
    clock = start(subject, at=sh(2026, 3, 2, 9, 0), days=3)
    assert clock.due_at == sh(2026, 3, 6)
    # budget 15 + 3 × 24 = 87 h, half 43.5 h: at risk Wed 4 Mar 04:30
    assert clock.at_risk_at == sh(2026, 3, 4, 4, 30)

    # when paused on Tue 10:00 for five and a half hours
    clock = services.sla_clock_pause(clock=clock, reason="等待补充材料", at=sh(2026, 3, 3, 10, 0))
    assert clock.paused_at == sh(2026, 3, 3, 10, 0)
    assert not clock.is_running
    pause = SlaPause.objects.get(clock=clock)
    assert pause.ended_at is None
    assert pause.reason == "等待补充材料"
    clock = services.sla_clock_resume(clock=clock, at=sh(2026, 3, 3, 15, 30))

    # then both marks move back by 5.5 h
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert clock.due_at == sh(2026, 3, 6, 5, 30)
    assert clock.at_risk_at == sh(2026, 3, 4, 10, 0)
    pause.refresh_from_db()
    assert pause.ended_at == sh(2026, 3, 3, 15, 30)


def test_pause_over_a_weekend_costs_nothing(subject) -> None:
    # given a clock from Thu 5 Mar 2026, due 24:00 Tue 10 Mar
    clock = start(subject, at=sh(2026, 3, 5, 9, 0), days=3)
    due, at_risk = clock.due_at, clock.at_risk_at
    assert due == sh(2026, 3, 11)
    # when paused Saturday morning and resumed Sunday night
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 7, 9, 0))
    clock = services.sla_clock_resume(clock=clock, at=sh(2026, 3, 8, 20, 0))
    # then nothing moved
    clock.refresh_from_db()
    assert (clock.due_at, clock.at_risk_at) == (due, at_risk)


def test_pause_over_national_day_costs_only_the_working_hours(subject) -> None:
    # given a clock from Mon 28 Sep 2026 09:00 (3 working days: 29, 30 Sep, 8 Oct)
    clock = start(subject, at=sh(2026, 9, 28, 9, 0), days=3)
    assert clock.due_at == sh(2026, 10, 9)
    # when paused 30 Sep 18:00 to 8 Oct 09:00: 6 h on Sep 30 and 9 h on Oct 8 lost
    services.sla_clock_pause(clock=clock, at=sh(2026, 9, 30, 18, 0))
    clock = services.sla_clock_resume(clock=clock, at=sh(2026, 10, 8, 9, 0))
    # then due moves 15 working hours: into Fri Oct 9
    assert clock.due_at == sh(2026, 10, 9, 15, 0)
    calendar = workdays.load_calendar()
    lost = calendar.working_time_between(sh(2026, 9, 30, 18), sh(2026, 10, 8, 9))
    assert lost == 15 * HOUR
    assert calendar.working_time_between(sh(2026, 10, 9), clock.due_at) == lost


def test_resume_across_a_weekend_boundary_moves_due_over_the_weekend(subject) -> None:
    # given due 24:00 Fri 6 Mar (started Tue 3 Mar, 3 working days)
    clock = start(subject, at=sh(2026, 3, 3, 9, 0), days=3)
    assert clock.due_at == sh(2026, 3, 7)
    # when two working hours are lost
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 4, 10, 0))
    clock = services.sla_clock_resume(clock=clock, at=sh(2026, 3, 4, 12, 0))
    # then they are made up on Monday, not on the weekend
    assert clock.due_at == sh(2026, 3, 9, 2, 0)


def test_pause_after_the_at_risk_mark_leaves_it(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0), days=3)
    at_risk = clock.at_risk_at
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 4, 10, 0))
    clock = services.sla_clock_resume(clock=clock, at=sh(2026, 3, 4, 11, 0))
    assert clock.at_risk_at == at_risk
    assert clock.due_at == sh(2026, 3, 6, 1, 0)


def test_double_pause_is_an_invalid_transition(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 2, 10, 0))
    with pytest.raises(InvalidTransition):
        services.sla_clock_pause(clock=clock, at=sh(2026, 3, 2, 11, 0))
    assert SlaPause.objects.filter(clock=clock).count() == 1
    clock.refresh_from_db()
    assert clock.paused_at == sh(2026, 3, 2, 10, 0)


def test_resume_of_a_running_clock_is_an_invalid_transition(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    due = clock.due_at
    with pytest.raises(InvalidTransition):
        services.sla_clock_resume(clock=clock, at=sh(2026, 3, 2, 10, 0))
    clock.refresh_from_db()
    assert clock.due_at == due


def test_resume_before_the_pause_is_invalid_input(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 2, 10, 0))
    with pytest.raises(InvalidInput):
        services.sla_clock_resume(clock=clock, at=sh(2026, 3, 2, 9, 30))
    clock.refresh_from_db()
    assert clock.paused_at == sh(2026, 3, 2, 10, 0)


def test_stopped_clocks_cannot_stop_pause_or_resume(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_stop(clock=clock, at=sh(2026, 3, 3, 9, 0))
    with pytest.raises(InvalidTransition):
        services.sla_clock_stop(clock=clock, at=sh(2026, 3, 9, 9, 0))
    with pytest.raises(InvalidTransition):
        services.sla_clock_pause(clock=clock, at=sh(2026, 3, 4, 9, 0))
    with pytest.raises(InvalidTransition):
        services.sla_clock_resume(clock=clock, at=sh(2026, 3, 4, 9, 0))
    clock.refresh_from_db()
    # the first stop's outcome stands
    assert clock.stopped_at == sh(2026, 3, 3, 9, 0)
    assert clock.outcome == SlaOutcome.MET


# --- stop ------------------------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_stop_before_due_is_met(subject) -> None:
    clock = start(subject, at=sh(2026, 9, 30, 10, 0), days=3)
    clock = services.sla_clock_stop(clock=clock, at=sh(2026, 10, 10, 23, 59))
    clock.refresh_from_db()
    assert clock.stopped_at == sh(2026, 10, 10, 23, 59)
    assert clock.outcome == SlaOutcome.MET
    assert not clock.is_running


@pytest.mark.clause("WX 7.2.2.2.1")
def test_stop_at_24_00_of_the_last_day_is_met_and_after_is_breached(subject, regions) -> None:
    on_time = start(subject, at=sh(2026, 9, 30, 10, 0), days=3, kind="on_time")
    late = start(subject, at=sh(2026, 9, 30, 10, 0), days=3, kind="late")
    assert services.sla_clock_stop(clock=on_time, at=sh(2026, 10, 11)).outcome == SlaOutcome.MET
    late = services.sla_clock_stop(clock=late, at=sh(2026, 10, 11, 0, 0, 1))
    late.refresh_from_db()
    assert late.outcome == SlaOutcome.BREACHED


def test_stop_of_a_paused_clock_closes_the_pause(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 3, 10, 0))
    clock = services.sla_clock_stop(clock=clock, at=sh(2026, 3, 4, 10, 0))
    clock.refresh_from_db()
    assert clock.paused_at is None
    assert clock.stopped_at == sh(2026, 3, 4, 10, 0)
    assert clock.outcome == SlaOutcome.MET
    pause = SlaPause.objects.get(clock=clock)
    assert pause.ended_at == sh(2026, 3, 4, 10, 0)
    assert not SlaPause.objects.filter(ended_at__isnull=True).exists()


def test_a_clock_paused_before_its_deadline_is_not_breached_by_the_pause(subject) -> None:
    # given a clock due 24:00 Thu 5 Mar, paused on Wednesday waiting for the user
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    assert clock.due_at == sh(2026, 3, 6)
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 4, 10, 0))
    # when it is stopped while still paused, after the original deadline
    clock = services.sla_clock_stop(clock=clock, at=sh(2026, 3, 9, 10, 0))
    # then it did not run out: the clock was not running since Wednesday
    assert clock.outcome == SlaOutcome.MET


def test_a_clock_paused_after_its_deadline_stays_breached(subject) -> None:
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 6, 10, 0))
    clock = services.sla_clock_stop(clock=clock, at=sh(2026, 3, 9, 10, 0))
    assert clock.outcome == SlaOutcome.BREACHED


def test_a_resumed_clock_is_judged_against_the_moved_deadline(subject) -> None:
    # due 24:00 Thu 5 Mar; one working day lost on Tuesday moves it to 24:00 Fri
    clock = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_pause(clock=clock, at=sh(2026, 3, 3, 0, 0))
    services.sla_clock_resume(clock=clock, at=sh(2026, 3, 4, 0, 0))
    clock = services.sla_clock_stop(clock=clock, at=sh(2026, 3, 6, 23, 0))
    assert clock.due_at == sh(2026, 3, 7)
    assert clock.outcome == SlaOutcome.MET


def test_a_stopped_clock_frees_the_subject_for_a_new_clock(subject) -> None:
    first = start(subject, at=sh(2026, 3, 2, 9, 0))
    services.sla_clock_stop(clock=first, at=sh(2026, 3, 3, 9, 0))
    second = start(subject, at=sh(2026, 3, 4, 9, 0))
    assert second.pk != first.pk
    assert SlaClock.objects.filter(stopped_at__isnull=True).count() == 1


def test_prepare_command_loads_demo_data_once(db, settings, tmp_path, capsys):
    from django.core.management import call_command

    from onestop.accounts.models import User

    settings.STATIC_ROOT = tmp_path / "static"

    call_command("prepare")
    call_command("prepare")

    output = capsys.readouterr().out
    assert output.count("Demo data loaded.") == 1
    assert "Demo data already present." in output
    assert User.objects.filter(username="admin", is_superuser=True).exists()
    assert (tmp_path / "static" / "onestop" / "css" / "site.css").exists()
