"""The public calendar endpoints under /api/v1/calendar/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onestop.core.models import CalendarDay, CalendarYear
from onestop.core.workdays import TZ

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/calendar/deadline"


@pytest.fixture
def client() -> Client:
    return Client()


def parse(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.mark.clause("WX 7.2.2.2.1")
def test_deadline_over_national_day(client) -> None:
    response = client.get(DEADLINE, {"start": "2026-09-30T10:00:00+08:00", "working_days": 3})
    assert response.status_code == 200
    body = response.json()
    assert parse(body["due_at"]) == dt.datetime(2026, 10, 11, tzinfo=TZ)
    assert parse(body["start"]) == dt.datetime(2026, 9, 30, 10, tzinfo=TZ)
    assert body["working_days"] == 3


def test_deadline_reads_a_naive_start_in_shanghai(client) -> None:
    # 00:30 on 30 Sep in Shanghai, whatever the server's zone
    response = client.get(DEADLINE, {"start": "2026-09-30T00:30:00", "working_days": 1})
    assert response.status_code == 200
    assert parse(response.json()["due_at"]) == dt.datetime(2026, 10, 9, tzinfo=TZ)


def test_deadline_converts_other_offsets_to_shanghai(client) -> None:
    # 16:30 UTC on 29 Sep is already 30 Sep in Shanghai
    response = client.get(DEADLINE, {"start": "2026-09-29T16:30:00+00:00", "working_days": 1})
    assert response.status_code == 200
    assert parse(response.json()["due_at"]) == dt.datetime(2026, 10, 9, tzinfo=TZ)


def test_deadline_in_an_uncovered_year_is_409(client) -> None:
    response = client.get(DEADLINE, {"start": "2026-12-30T10:00:00+08:00", "working_days": 3})
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "calendar_not_covered"
    assert "2027" in body["detail"]


def test_deadline_in_a_declared_year(client) -> None:
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    CalendarYear.objects.create(year=2027)
    response = client.get(DEADLINE, {"start": "2026-12-30T10:00:00+08:00", "working_days": 3})
    assert response.status_code == 200
    assert parse(response.json()["due_at"]) == dt.datetime(2027, 1, 6, tzinfo=TZ)


@pytest.mark.parametrize("start", ["yesterday", "2026-02-30T10:00:00+08:00", ""])
def test_deadline_with_a_malformed_start_is_422(client, start: str) -> None:
    response = client.get(DEADLINE, {"start": start, "working_days": 3})
    assert response.status_code == 422


def test_deadline_without_parameters_is_422(client) -> None:
    assert client.get(DEADLINE).status_code == 422


@pytest.mark.parametrize("working_days", [999, 367, -1])
def test_deadline_with_too_many_working_days_is_400(client, working_days: int) -> None:
    response = client.get(
        DEADLINE, {"start": "2026-03-02T09:00:00+08:00", "working_days": working_days}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "invalid_input"


def test_deadline_with_non_numeric_working_days_is_422(client) -> None:
    response = client.get(DEADLINE, {"start": "2026-03-02T09:00:00+08:00", "working_days": "x"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("day", "is_workday"),
    [("2026-10-10", True), ("2026-10-01", False), ("2026-10-11", False), ("2026-02-28", True)],
)
def test_day(client, day: str, is_workday: bool) -> None:
    response = client.get(f"/api/v1/calendar/days/{day}")
    assert response.status_code == 200
    assert response.json() == {"date": day, "is_workday": is_workday}


def test_day_follows_overrides(client) -> None:
    CalendarDay.objects.create(date=dt.date(2026, 10, 10), is_workday=False)
    response = client.get("/api/v1/calendar/days/2026-10-10")
    assert response.json()["is_workday"] is False


def test_day_in_an_uncovered_year_is_409(client) -> None:
    response = client.get("/api/v1/calendar/days/2027-01-04")
    assert response.status_code == 409
    assert response.json()["code"] == "calendar_not_covered"


@pytest.mark.parametrize("day", ["2026-13-45", "2026-02-30", "tomorrow"])
def test_day_with_a_malformed_date_is_422(client, day: str) -> None:
    response = client.get(f"/api/v1/calendar/days/{day}")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/calendar/deadline?start=9999-12-31T23:00:00%2B08:00&working_days=1",
        "/api/v1/calendar/deadline?start=0001-01-01T00:00:00%2B08:00&working_days=1",
        "/api/v1/calendar/days/9999-12-31",
        "/api/v1/calendar/days/0001-01-01",
    ],
)
def test_out_of_range_years_are_a_400_not_a_500(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
