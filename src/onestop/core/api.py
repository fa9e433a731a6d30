import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from onestop.core import workdays
from onestop.core.errors import InvalidInput

MAX_WORKING_DAYS = 366
MIN_YEAR, MAX_YEAR = 2000, 2100

router = Router(tags=["calendar"])


class DeadlineOut(Schema):
    start: dt.datetime
    working_days: int
    due_at: dt.datetime


class DayOut(Schema):
    date: dt.date
    is_workday: bool


class ErrorOut(Schema):
    code: str
    detail: str


@router.get(
    "/days/{day}",
    response={200: DayOut, 400: ErrorOut, 409: ErrorOut},
    auth=None,
    summary="Whether a date is a working day in China",
)
def day(request: HttpRequest, day: dt.date) -> DayOut:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidInput(_("The year must be between 2000 and 2100."))
    return DayOut(date=day, is_workday=workdays.is_workday(day))


@router.get(
    "/deadline",
    response={200: DeadlineOut, 400: ErrorOut, 409: ErrorOut},
    auth=None,
    summary="Deadline of N working days after an instant (ends 24:00, Asia/Shanghai)",
)
def deadline(request: HttpRequest, start: dt.datetime, working_days: int) -> DeadlineOut:
    if start.tzinfo is None:
        start = start.replace(tzinfo=workdays.TZ)
    if not 0 <= working_days <= MAX_WORKING_DAYS:
        raise InvalidInput(_("The number of working days must be between 0 and 366."))
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise InvalidInput(_("The year must be between 2000 and 2100."))
    return DeadlineOut(
        start=start, working_days=working_days, due_at=workdays.add_workdays(start, working_days)
    )
