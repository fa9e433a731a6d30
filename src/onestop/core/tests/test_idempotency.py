"""The Idempotency-Key helper (onestop.core.idempotency) on a small operation
that writes a calendar day: a retry replays the stored answer and writes
nothing, other input is a 422, refusals and failures store no key, keys are
per principal and expire after 24 hours. The submissions' own tests are in
the apps (test_api_idempotency.py); the concurrent case on PostgreSQL below."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections, transaction
from django.test import RequestFactory
from django.utils import timezone
from ninja import Schema
from ninja.responses import Status

from onestop.core import tasks
from onestop.core.errors import InvalidInput
from onestop.core.idempotency import (
    REPLAYED_HEADER,
    IdempotencyKeyInUse,
    _claim,
    fingerprint,
    idempotent,
    link_holder,
)
from onestop.core.models import CalendarDay, IdempotencyKey

pytestmark = pytest.mark.django_db

FIRST = dt.date(2031, 1, 1)


class DayIn(Schema):
    date: dt.date
    name: str = ""


class DayOut(Schema):
    id: int
    date: dt.date
    created_at: dt.datetime


calls: list[DayIn] = []


@idempotent("core.test_day")
def make_day(request, data: DayIn) -> Status[DayOut]:
    calls.append(data)
    if data.name == "refuse":
        raise InvalidInput()
    day = CalendarDay.objects.create(date=data.date, is_workday=False, name=data.name)
    if data.name == "crash":
        raise RuntimeError("after the write")
    return Status(201, DayOut(id=day.pk, date=day.date, created_at=day.created_at))


@idempotent("core.test_other")
def other_operation(request, data: DayIn) -> DayOut:
    day = CalendarDay.objects.create(date=data.date, is_workday=True)
    return DayOut(id=day.pk, date=day.date, created_at=day.created_at)


@idempotent("core.test_link", scope=link_holder("token"))
def by_link(request, token: str, data: DayIn) -> Status[DayOut]:
    day = CalendarDay.objects.create(date=data.date, is_workday=False)
    return Status(201, DayOut(id=day.pk, date=day.date, created_at=day.created_at))


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()


@pytest.fixture
def user(make_user, regions):
    return make_user("individual", "320281")


def request_of(user):
    request = RequestFactory().post("/api/v1/test")
    request.user = user if user is not None else AnonymousUser()
    return request


def send(user, key, day=FIRST, name="", operation=make_day):
    return operation(request_of(user), data=DayIn(date=day, name=name), idempotency_key=key)


# --- fingerprint ------------------------------------------------------------------------------


def test_the_fingerprint_is_of_the_canonical_input():
    # given the same input built in a different order, and a different one
    first = fingerprint({"data": DayIn(date=FIRST, name="元旦"), "token": "t"})
    reordered = fingerprint({"token": "t", "data": DayIn(name="元旦", date=FIRST)})
    other = fingerprint({"data": DayIn(date=FIRST, name="春节"), "token": "t"})
    # then key order does not matter, values do
    assert first == reordered
    assert first != other
    assert len(first) == 64


def test_files_count_by_their_content_and_can_be_read_again():
    # given two uploads with the same name, one with other content
    one = SimpleUploadedFile("a.pdf", b"%PDF-1 one")
    same = SimpleUploadedFile("a.pdf", b"%PDF-1 one")
    other = SimpleUploadedFile("a.pdf", b"%PDF-1 two")
    # then only the content tells them apart, and the operation still reads it all
    assert fingerprint({"files": [one]}) == fingerprint({"files": [same]})
    assert fingerprint({"files": [one]}) != fingerprint({"files": [other]})
    assert one.read() == b"%PDF-1 one"


# --- replay -----------------------------------------------------------------------------------


def test_a_retry_with_the_key_replays_the_first_answer(user):
    # given a first request with a key
    first = send(user, "k-1")
    # when it is sent again
    again = send(user, "k-1")
    # then the operation ran once, the answer is the same bytes, marked replayed
    assert len(calls) == 1
    assert CalendarDay.objects.count() == 1
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert json.loads(first.content)["id"] == CalendarDay.objects.get().pk
    assert REPLAYED_HEADER not in first
    assert again[REPLAYED_HEADER] == "true"
    stored = IdempotencyKey.objects.get()
    assert (stored.user_id, stored.scope, stored.operation) == (
        user.pk,
        f"user:{user.pk}",
        "core.test_day",
    )


def test_the_same_key_with_other_input_or_operation_is_a_422(user):
    send(user, "k-1")
    # when the key comes back with another body, or on another operation
    other_body = send(user, "k-1", day=FIRST + dt.timedelta(days=1))
    other_operation_answer = send(user, "k-1", operation=other_operation)
    # then 422 in the API's validation-error shape, naming the header; nothing written
    for answer in (other_body, other_operation_answer):
        assert answer.status_code == 422
        body = json.loads(answer.content)
        assert body["code"] == "idempotency_key_reused"
        assert body["detail"]
        assert body["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert CalendarDay.objects.count() == 1


def test_keys_are_per_principal(make_user, regions):
    # given two users sending the same key
    one, two = make_user("individual", "320281"), make_user("individual", "320281")
    first = send(one, "shared", day=FIRST)
    second = send(two, "shared", day=FIRST + dt.timedelta(days=1))
    # then each got their own day
    assert (first.status_code, second.status_code) == (201, 201)
    assert CalendarDay.objects.count() == 2
    assert IdempotencyKey.objects.count() == 2


def test_a_link_scope_belongs_to_the_link_not_the_login(user):

    def through(token, day, who=None):
        data = DayIn(date=day)
        return by_link(request_of(who), token=token, data=data, idempotency_key="k")

    # given the same key on two links, and on the first again while logged in
    first = through("link-one", FIRST)
    other_link = through("link-two", FIRST + dt.timedelta(days=1))
    again_logged_in = through("link-one", FIRST, who=user)
    # then the links are independent, the login changes nothing, the token is not stored
    assert (first.status_code, other_link.status_code) == (201, 201)
    assert again_logged_in[REPLAYED_HEADER] == "true"
    assert CalendarDay.objects.count() == 2
    assert all(
        k.scope.startswith("link:") and k.user_id is None for k in IdempotencyKey.objects.all()
    )
    assert not IdempotencyKey.objects.filter(scope__contains="link-one").exists()


def test_without_a_key_or_a_login_nothing_changes(user):
    # when sent twice without a key, and by an anonymous caller with one
    send(user, None)
    plain = send(user, None, day=FIRST + dt.timedelta(days=1))
    anonymous = send(None, "k-1", day=FIRST + dt.timedelta(days=2))
    # then every call ran, the operation's own result went back, no key stored
    assert len(calls) == 3
    assert isinstance(plain, Status)
    assert isinstance(anonymous, Status)
    assert not IdempotencyKey.objects.exists()


# --- refusals and failures --------------------------------------------------------------------


def test_a_refused_request_stores_no_key_and_its_retry_runs_again(user):
    # given a request the operation refuses
    with pytest.raises(InvalidInput):
        send(user, "k-1", name="refuse")
    # then no key is kept: the corrected retry with the same key runs
    assert not IdempotencyKey.objects.exists()
    assert send(user, "k-1", name="refuse-no-more").status_code == 201
    assert len(calls) == 2


def test_a_failure_after_a_write_undoes_the_write_and_the_key(user):
    # given an operation that fails after writing
    with pytest.raises(RuntimeError):
        send(user, "k-1", name="crash")
    # then neither its write nor the key is left
    assert not CalendarDay.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_on_commit_hooks_of_the_operation_run_once(user, django_capture_on_commit_callbacks):
    fired: list[int] = []

    @idempotent("core.test_hook")
    def with_hook(request, data: DayIn) -> Status[DayOut]:
        day = CalendarDay.objects.create(date=data.date, is_workday=False)
        transaction.on_commit(lambda: fired.append(day.pk))
        return Status(201, DayOut(id=day.pk, date=day.date, created_at=day.created_at))

    # when the operation runs with a key and is then retried
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "k-1", operation=with_hook)
    with django_capture_on_commit_callbacks(execute=True):
        send(user, "k-1", operation=with_hook)
    # then its hook ran once, after the commit
    assert fired == [CalendarDay.objects.get().pk]


# --- expiry -----------------------------------------------------------------------------------


def test_keys_expire_after_24_hours_and_are_purged(user, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)
    send(user, "old")
    time_machine.move_to(dt.datetime(2026, 11, 19, 9, 0, tzinfo=dt.UTC), tick=False)
    send(user, "recent", day=FIRST + dt.timedelta(days=1))
    # when 24 hours have passed since the first, and the hourly job runs
    time_machine.move_to(dt.datetime(2026, 11, 19, 10, 0, 1, tzinfo=dt.UTC), tick=False)
    purged = tasks.idempotency_keys_purge()
    # then only the old key is gone
    assert purged == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]


def test_an_expired_key_not_yet_purged_is_free_again(user, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC), tick=False)
    send(user, "k-1")
    # when the key comes back a day later with other input, before the purge
    time_machine.move_to(timezone.now() + dt.timedelta(hours=24, seconds=1), tick=False)
    again = send(user, "k-1", day=FIRST + dt.timedelta(days=1))
    # then it is a new request
    assert again.status_code == 201
    assert REPLAYED_HEADER not in again
    assert CalendarDay.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


# --- concurrency (PostgreSQL) -----------------------------------------------------------------


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_a_key_held_by_a_running_request_is_a_409(user):
    held, release = threading.Event(), threading.Event()

    def running_request() -> None:
        try:
            with transaction.atomic():
                assert _claim(f"user:{user.pk}", "k-1")
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    # given another connection in the middle of a request with the key
    thread = threading.Thread(target=running_request)
    thread.start()
    try:
        assert held.wait(10)
        # when the retry arrives meanwhile
        with pytest.raises(IdempotencyKeyInUse):
            send(user, "k-1")
    finally:
        release.set()
        thread.join()
    # then it was refused without running; once the first is over, the key is free
    assert calls == []
    assert send(user, "k-1").status_code == 201
