"""The working-day calendar (SPEC §4): properties of the pure Calendar and the
known 2026 schedule, plus the database-backed years the library lacks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from onestop.core import workdays
from onestop.core.models import CalendarDay, CalendarYear
from onestop.core.workdays import TZ, Calendar, CalendarNotCovered, local_date

UTC = dt.UTC
LIBRARY = Calendar()
PROPERTY = settings(max_examples=150, deadline=None)


def sh(*args: int) -> dt.datetime:
    """An instant given in Asia/Shanghai wall time."""
    return dt.datetime(*args, tzinfo=TZ)


# Instants whose deadlines (up to 20 working days, or 30 days of working time)
# stay inside the years chinese-calendar covers (2004–2026). Offsets other than
# +08:00 make sure the local date is taken in Asia/Shanghai, not in the input's zone.
instants = st.datetimes(
    min_value=dt.datetime(2004, 1, 2),
    max_value=dt.datetime(2026, 10, 31),
    timezones=st.sampled_from(
        [TZ, UTC, dt.timezone(dt.timedelta(hours=-7)), dt.timezone(dt.timedelta(hours=13))]
    ),
)
workday_counts = st.integers(min_value=0, max_value=20)
spans = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=40))
library_dates = st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2026, 12, 31))


# --- properties of the pure Calendar (no database) ---------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
@PROPERTY
@given(start=instants, n=st.integers(min_value=1, max_value=20))
def test_deadline_is_midnight_after_a_working_day(start: dt.datetime, n: int) -> None:
    # when
    due = LIBRARY.add_workdays(start, n)
    # then: 00:00 Asia/Shanghai, the day after a working day, after the event's day
    local = due.astimezone(TZ)
    assert local.utcoffset() == dt.timedelta(hours=8)
    assert local.time() == dt.time(0, 0)
    last_day = local.date() - dt.timedelta(days=1)
    assert LIBRARY.is_workday(last_day)
    assert last_day > local_date(start)


@pytest.mark.clause("WX 7.2.2.2.1")
@PROPERTY
@given(start=instants, n=workday_counts)
def test_deadline_ends_the_nth_working_day_after_the_event(start: dt.datetime, n: int) -> None:
    due = LIBRARY.add_workdays(start, n)
    result_day = due.astimezone(TZ).date() - dt.timedelta(days=1)
    # exactly n working days lie after the event's day up to and including the result day...
    assert LIBRARY.workdays_between(local_date(start), result_day) == n
    # ...and one day earlier there were fewer: the result is the first such day
    if n > 0:
        earlier = result_day - dt.timedelta(days=1)
        assert LIBRARY.workdays_between(local_date(start), earlier) == n - 1
    else:
        assert result_day == local_date(start)


@PROPERTY
@given(start=instants, a=workday_counts, b=workday_counts)
def test_deadline_is_strictly_monotonic_in_n(start: dt.datetime, a: int, b: int) -> None:
    low, high = sorted((a, b))
    due_low = LIBRARY.add_workdays(start, low)
    due_high = LIBRARY.add_workdays(start, high)
    if low == high:
        assert due_low == due_high
    else:
        assert due_low < due_high
    assert due_low > start


@PROPERTY
@given(start=instants, first=spans, second=spans)
def test_working_time_is_additive_and_bounded_by_wall_time(
    start: dt.datetime, first: dt.timedelta, second: dt.timedelta
) -> None:
    middle = start + first
    end = middle + second
    # The bundled calendar stops at the end of 2026; later years are covered
    # only once an administrator enters them (tested elsewhere).
    assume(end.year <= 2026)
    whole = LIBRARY.working_time_between(start, end)
    assert whole == LIBRARY.working_time_between(start, middle) + LIBRARY.working_time_between(
        middle, end
    )
    assert dt.timedelta(0) <= whole <= end - start
    # a reversed interval has no working time
    if end > start:
        assert LIBRARY.working_time_between(end, start) == dt.timedelta(0)


@PROPERTY
@given(
    start=instants, amount=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30))
)
def test_add_working_time_inverts_working_time_between(
    start: dt.datetime, amount: dt.timedelta
) -> None:
    end = LIBRARY.add_working_time(start, amount)
    assert end >= start
    assert LIBRARY.working_time_between(start, end) == amount
    # the earliest such instant: a moment earlier, less working time had elapsed
    if amount > dt.timedelta(0):
        assert LIBRARY.working_time_between(start, end - dt.timedelta(microseconds=1)) < amount


@PROPERTY
@given(start=instants, n=st.integers(min_value=1, max_value=20))
def test_a_whole_deadline_holds_n_full_working_days_after_the_event_day(
    start: dt.datetime, n: int
) -> None:
    # the working time from the end of the event's day to the deadline is n × 24 h
    due = LIBRARY.add_workdays(start, n)
    next_midnight = workdays.end_of_day(local_date(start))
    assert LIBRARY.working_time_between(next_midnight, due) == n * dt.timedelta(days=1)


@PROPERTY
@given(
    day=st.dates(min_value=dt.date(2004, 1, 1), max_value=dt.date(2040, 12, 31)),
    value=st.booleans(),
)
def test_overrides_always_win(day: dt.date, value: bool) -> None:
    calendar = Calendar(overrides={day: value})
    assert calendar.is_workday(day) is value
    # the override also steers the arithmetic: the day after is the deadline of
    # one working day from the previous day exactly when the override says "working"
    # (The next working day after a day made a holiday may be weeks later: the
    # following month must be in a covered year too, or the sum cannot be done.)
    covered = workdays.library_years()
    if (
        day.year in covered
        and (day + dt.timedelta(days=31)).year in covered
        and day > dt.date(2004, 1, 1)
    ):
        due = calendar.add_workdays(workdays.start_of_day(day - dt.timedelta(days=1)), 1)
        assert (due == workdays.end_of_day(day)) is value


@PROPERTY
@given(day=st.dates(min_value=dt.date(2027, 1, 1), max_value=dt.date(2027, 12, 31)))
def test_a_declared_year_is_monday_to_friday_unless_overridden(day: dt.date) -> None:
    undeclared = Calendar()
    with pytest.raises(CalendarNotCovered) as excinfo:
        undeclared.is_workday(day)
    assert excinfo.value.year == 2027
    declared = Calendar(declared_years=frozenset({2027}))
    assert declared.is_workday(day) is (day.weekday() < 5)
    flipped = Calendar(overrides={day: day.weekday() >= 5}, declared_years=frozenset({2027}))
    assert flipped.is_workday(day) is (day.weekday() >= 5)


@PROPERTY
@given(day=library_dates)
def test_library_years_match_chinese_calendar(day: dt.date) -> None:
    import chinese_calendar

    assert LIBRARY.is_covered(day.year)
    assert LIBRARY.is_workday(day) is chinese_calendar.is_workday(day)


# --- the 2026 schedule ---------------------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_national_day_2026_holidays_are_skipped_and_adjusted_saturday_counts() -> None:
    # given an event on Wed 30 Sep 2026 (Oct 1–7 rest, Sat Oct 10 a working day)
    event = sh(2026, 9, 30, 10, 0)
    # when / then: Oct 8, Oct 9, Oct 10 are the three working days
    assert LIBRARY.add_workdays(event, 1) == sh(2026, 10, 9)
    assert LIBRARY.add_workdays(event, 2) == sh(2026, 10, 10)
    assert LIBRARY.add_workdays(event, 3) == sh(2026, 10, 11)
    # Sun Oct 11 is a rest day again: the fourth is Mon Oct 12
    assert LIBRARY.add_workdays(event, 4) == sh(2026, 10, 13)


@pytest.mark.clause("WX 7.2.2.2.1")
def test_national_day_2026_library_days() -> None:
    assert LIBRARY.is_workday(dt.date(2026, 9, 20))  # Sunday, adjusted working day
    assert LIBRARY.is_workday(dt.date(2026, 10, 10))  # Saturday, adjusted working day
    assert not LIBRARY.is_workday(dt.date(2026, 10, 11))
    for day in range(1, 8):
        assert not LIBRARY.is_workday(dt.date(2026, 10, day))
    assert LIBRARY.workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 11)) == 3


@pytest.mark.clause("WX 7.2.2.2.1")
def test_event_on_an_adjusted_saturday_counts_from_that_day() -> None:
    # given an event on Sat 10 Oct 2026, a working day
    event = sh(2026, 10, 10, 15, 30)
    # then the same day ends at 24:00, and the next working day is Mon Oct 12
    assert LIBRARY.add_workdays(event, 0) == sh(2026, 10, 11)
    assert LIBRARY.add_workdays(event, 1) == sh(2026, 10, 13)
    assert LIBRARY.add_workdays(event, 3) == sh(2026, 10, 15)
    # an event on the adjusted Sunday 20 Sep counts from there too
    assert LIBRARY.add_workdays(sh(2026, 9, 20, 9, 0), 1) == sh(2026, 9, 22)
    # the Saturday's hours are working time, the Sunday's are not
    assert LIBRARY.working_time_between(sh(2026, 10, 10, 12), sh(2026, 10, 12)) == dt.timedelta(
        hours=12
    )


@pytest.mark.clause("WX 7.2.2.2.1")
def test_spring_festival_2026() -> None:
    # Feb 15–23 rest; Sat Feb 14 and Sat Feb 28 working
    assert LIBRARY.is_workday(dt.date(2026, 2, 14))
    assert LIBRARY.is_workday(dt.date(2026, 2, 28))
    for day in range(15, 24):
        assert not LIBRARY.is_workday(dt.date(2026, 2, day))
    friday = sh(2026, 2, 13, 15, 0)
    assert LIBRARY.add_workdays(friday, 1) == sh(2026, 2, 15)  # Sat Feb 14
    assert LIBRARY.add_workdays(friday, 2) == sh(2026, 2, 25)  # Tue Feb 24
    # an event during the holiday: the first working day is Feb 24
    assert LIBRARY.add_workdays(sh(2026, 2, 18, 11, 0), 1) == sh(2026, 2, 25)
    # Fri Feb 27 + 1 is the adjusted Saturday Feb 28
    assert LIBRARY.add_workdays(sh(2026, 2, 27, 9, 0), 1) == sh(2026, 3, 1)
    # the nine rest days hold no working time
    assert LIBRARY.working_time_between(sh(2026, 2, 15), sh(2026, 2, 24)) == dt.timedelta(0)


@pytest.mark.clause("WX 7.2.2.2.1")
def test_plain_weekend() -> None:
    # given an event late on Fri 6 Mar 2026
    event = sh(2026, 3, 6, 17, 0)
    # then Saturday and Sunday are skipped
    assert LIBRARY.add_workdays(event, 1) == sh(2026, 3, 10)
    assert LIBRARY.add_workdays(event, 3) == sh(2026, 3, 12)
    assert LIBRARY.add_workdays(event, 5) == sh(2026, 3, 14)
    assert LIBRARY.add_workdays(event, 6) == sh(2026, 3, 17)
    # an event on Saturday gives the same deadline as one on Friday
    assert LIBRARY.add_workdays(sh(2026, 3, 7, 10, 0), 1) == sh(2026, 3, 10)
    # a weekend costs no working time; a Friday's last hour does
    assert LIBRARY.working_time_between(sh(2026, 3, 6, 23), sh(2026, 3, 9)) == dt.timedelta(hours=1)
    assert LIBRARY.add_working_time(sh(2026, 3, 6, 23), dt.timedelta(hours=2)) == sh(2026, 3, 9, 1)


@pytest.mark.clause("WX 7.2.2.2.1")
def test_the_event_day_is_taken_in_asia_shanghai() -> None:
    # 16:30 UTC on 29 Sep is 00:30 on 30 Sep in Shanghai
    event = dt.datetime(2026, 9, 29, 16, 30, tzinfo=UTC)
    assert local_date(event) == dt.date(2026, 9, 30)
    assert LIBRARY.add_workdays(event, 1) == sh(2026, 10, 9)
    # one minute earlier it is still 29 Sep in Shanghai
    assert LIBRARY.add_workdays(event - dt.timedelta(hours=1), 1) == sh(2026, 10, 1)


def test_override_on_a_library_year_changes_the_deadline() -> None:
    event = sh(2026, 9, 30, 10, 0)
    calendar = Calendar(overrides={dt.date(2026, 10, 8): False})
    # Oct 9, Oct 10, (Sun 11 rest), Mon Oct 12
    assert calendar.add_workdays(event, 3) == sh(2026, 10, 13)
    assert LIBRARY.add_workdays(event, 3) == sh(2026, 10, 11)
    # and a normal Sunday declared working
    sunday = Calendar(overrides={dt.date(2026, 3, 8): True})
    assert sunday.add_workdays(sh(2026, 3, 6, 17, 0), 1) == sh(2026, 3, 9)


def test_naive_datetimes_are_refused() -> None:
    naive = dt.datetime(2026, 3, 2, 9, 0)
    aware = sh(2026, 3, 3, 9, 0)
    with pytest.raises(ValueError, match="naive"):
        LIBRARY.add_workdays(naive, 1)
    with pytest.raises(ValueError, match="naive"):
        local_date(naive)
    with pytest.raises(ValueError, match="naive"):
        LIBRARY.working_time_between(naive, naive + dt.timedelta(days=1))
    with pytest.raises(ValueError, match="naive"):
        LIBRARY.working_time_between(naive, aware)
    with pytest.raises(ValueError, match="naive"):
        LIBRARY.working_time_between(aware, naive)
    with pytest.raises(ValueError, match="naive"):
        LIBRARY.add_working_time(naive, dt.timedelta(hours=1))


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        LIBRARY.add_workdays(sh(2026, 3, 2, 9), -1)
    with pytest.raises(ValueError, match="negative"):
        LIBRARY.add_working_time(sh(2026, 3, 2, 9), -dt.timedelta(seconds=1))


def test_uncovered_year_error_carries_code_and_year() -> None:
    with pytest.raises(CalendarNotCovered) as excinfo:
        LIBRARY.add_workdays(sh(2026, 12, 30, 10, 0), 3)
    error = excinfo.value
    assert error.code == "calendar_not_covered"
    assert error.status == 409
    assert error.year == 2027
    assert "2027" in error.message
    assert "2027" in str(error)
    # years before the library are uncovered too
    with pytest.raises(CalendarNotCovered) as before:
        LIBRARY.is_workday(dt.date(2003, 12, 31))
    assert before.value.year == 2003


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_uncovered_year_message_names_the_year_in_each_language(language: str) -> None:
    from django.utils import translation

    with translation.override(language):
        error = CalendarNotCovered(2027)
    assert "2027" in error.message
    assert "%(year)" not in error.message
    if language == "en":
        assert error.message.startswith("The holiday schedule for 2027 ")


# --- the database-backed calendar ---------------------------------------------


@pytest.mark.clause("WX 7.2.2.2.1")
def test_2027_is_refused_until_entered_and_declared(db) -> None:
    event = sh(2026, 12, 30, 10, 0)
    # given no rows: 2026-12-31 is the first working day, 2027-01-01 is unknown
    assert workdays.add_workdays(event, 1) == sh(2027, 1, 1)
    with pytest.raises(CalendarNotCovered) as excinfo:
        workdays.add_workdays(event, 3)
    assert excinfo.value.code == "calendar_not_covered"
    assert "2027" in excinfo.value.message
    assert not workdays.is_covered(2027)

    # when an administrator enters New Year's Day but has not declared the year
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    assert workdays.is_workday(dt.date(2027, 1, 1)) is False
    with pytest.raises(CalendarNotCovered):
        workdays.add_workdays(event, 3)

    # when the year is declared: Fri Jan 1 rest, weekend, then Mon Jan 4, Tue Jan 5
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")
    assert workdays.is_covered(2027)
    assert workdays.add_workdays(event, 3) == sh(2027, 1, 6)
    assert workdays.workdays_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == 3
    assert workdays.working_time_between(sh(2026, 12, 31, 12), sh(2027, 1, 4, 6)) == dt.timedelta(
        hours=18
    )


@pytest.mark.clause("WX 7.2.2.2.1")
def test_a_calendar_day_row_overrides_a_library_year(db) -> None:
    event = sh(2026, 9, 30, 10, 0)
    assert workdays.add_workdays(event, 3) == sh(2026, 10, 11)
    CalendarDay.objects.create(date=dt.date(2026, 10, 8), is_workday=False, name="补充假日")
    assert workdays.is_workday(dt.date(2026, 10, 8)) is False
    assert workdays.add_workdays(event, 3) == sh(2026, 10, 13)


def test_load_calendar_limited_to_some_years(db) -> None:
    CalendarDay.objects.create(date=dt.date(2026, 10, 8), is_workday=False)
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False)
    CalendarYear.objects.create(year=2027)
    some = workdays.load_calendar([2027])
    assert some.overrides == {dt.date(2027, 1, 1): False}
    assert some.declared_years == frozenset({2027})
    everything = workdays.load_calendar()
    assert set(everything.overrides) == {dt.date(2026, 10, 8), dt.date(2027, 1, 1)}


def test_missing_next_year(db) -> None:
    # from November, 2027 is missing
    assert workdays.missing_next_year(dt.date(2026, 11, 1)) == 2027
    assert workdays.missing_next_year(dt.date(2026, 12, 31)) == 2027
    # not in October
    assert workdays.missing_next_year(dt.date(2026, 10, 31)) is None
    # not when the next year is in the library
    assert workdays.missing_next_year(dt.date(2025, 11, 1)) is None
    # entering days alone is not enough
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False)
    assert workdays.missing_next_year(dt.date(2026, 11, 1)) == 2027
    # declared: no longer missing
    CalendarYear.objects.create(year=2027)
    assert workdays.missing_next_year(dt.date(2026, 11, 1)) is None


def test_previous_workday_steps_back_over_the_2026_national_day_holiday():
    calendar = Calendar()

    # Oct 8 (Thu) → the last working day before the holiday is Sep 30.
    assert calendar.previous_workday(dt.date(2026, 10, 8)) == dt.date(2026, 9, 30)
    # The adjusted working Sunday Sep 20 counts.
    assert calendar.previous_workday(dt.date(2026, 9, 21)) == dt.date(2026, 9, 20)


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=dt.date(2004, 2, 1), max_value=dt.date(2026, 12, 1)))
def test_previous_workday_undoes_next_workday(day):
    calendar = Calendar()
    previous = calendar.previous_workday(day)

    assert calendar.is_workday(previous)
    assert calendar.next_workday(previous) >= day
    assert calendar.workdays_between(previous, day - dt.timedelta(days=1)) == 0
