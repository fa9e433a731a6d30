"""Placing an order with an Idempotency-Key (issue 7, "lost acknowledgement"):
a retry gets the first answer and places nothing; other input with the same
key is a 422; keys are per user; without a login or a key nothing changes;
two requests with the same key at once place one order (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.db import connections
from django.test import Client

from onestop.core import tasks
from onestop.core.models import IdempotencyKey
from onestop.orders.models import Order

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"


def place(client, offering, key=None, description="校准压力表 2 只"):
    body = {"offering_id": offering.pk, "description": description, "contact_name": "赵先生"}
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_with_the_key_gets_the_same_order(client, offering, customer):
    client.force_login(customer)
    # given an order placed with a key whose answer was lost
    first = place(client, offering, key="8e03978e-40d5-43e8-bc93-6894a57f9324")
    # when the client sends it again
    again = place(client, offering, key="8e03978e-40d5-43e8-bc93-6894a57f9324")
    # then the same order comes back, marked replayed, and only one exists
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["number"] == first.json()["number"] == Order.objects.get().number
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_the_same_key_with_another_order_is_a_422(client, offering, customer):
    client.force_login(customer)
    place(client, offering, key="k-1")
    # when the key is reused for a different order
    other = place(client, offering, key="k-1", description="校准压力表 5 只")
    # then 422 naming the header, and nothing placed
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    assert Order.objects.count() == 1


def test_another_users_same_key_is_independent(client, offering, customer, stranger):
    client.force_login(customer)
    mine = place(client, offering, key="k-1")
    client.force_login(stranger)
    theirs = place(client, offering, key="k-1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["number"] != theirs.json()["number"]
    assert "Idempotent-Replayed" not in theirs
    assert Order.objects.count() == 2


def test_without_a_login_it_is_still_401_and_nothing_is_kept(client, offering):
    assert place(client, offering, key="k-1").status_code == 401
    assert not IdempotencyKey.objects.exists()


def test_without_a_key_nothing_is_kept(client, offering, customer):
    client.force_login(customer)
    assert place(client, offering).status_code == 201
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "订单-1", "tab\tin"])
def test_a_malformed_key_is_a_422(client, offering, customer, key):
    client.force_login(customer)
    refused = place(client, offering, key=key)
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid_request"
    assert ["header", "Idempotency-Key"] in [e["loc"] for e in refused.json()["errors"]]
    assert not Order.objects.exists()


def test_a_refused_order_keeps_no_key(client, offering, customer, institution):
    client.force_login(customer)
    # given an order refused while the institution is suspended
    institution.status = "suspended"
    institution.save()
    refused = place(client, offering, key="k-1")
    # when the institution is back and the client retries with the same key
    institution.status = "active"
    institution.save()
    retried = place(client, offering, key="k-1")
    # then the retry ran: refusals are not replayed
    assert refused.status_code == 409
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried
    assert Order.objects.count() == 1


def test_the_orders_after_commit_work_runs_once(
    client, offering, customer, lab_owner, django_capture_on_commit_callbacks
):
    # given an institution person to be told by SMS after the commit
    client.force_login(customer)
    with django_capture_on_commit_callbacks() as without_key:
        place(client, offering, description="校准压力表 3 只")
    with django_capture_on_commit_callbacks() as with_key:
        place(client, offering, key="k-1")
    with django_capture_on_commit_callbacks() as replayed:
        place(client, offering, key="k-1")
    # the key adds or loses no after-commit work (SMS, search), the replay has none
    assert len(with_key) == len(without_key) > 0
    assert replayed == []


def test_expired_keys_are_cleaned(client, offering, customer, time_machine):
    client.force_login(customer)
    first = place(client, offering, key="k-1")
    # when a day has passed and the hourly job ran
    time_machine.shift(dt.timedelta(hours=24, minutes=1))
    tasks.idempotency_keys_purge()
    # then the key is forgotten: the same request places a new order
    assert not IdempotencyKey.objects.exists()
    client.force_login(customer)  # the session expired meanwhile
    again = place(client, offering, key="k-1")
    assert again.status_code == 201
    assert again.json()["number"] != first.json()["number"]


@pytest.mark.production
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_twice_at_once_places_one_order(offering, customer):
    # given two connections sending the same order with the same key at once
    barrier = threading.Barrier(2)
    answers: list[object] = [None, None]

    def send(index: int) -> None:
        client = Client()
        client.force_login(customer)
        try:
            barrier.wait()
            answers[index] = place(client, offering, key="at-once")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one order: both answers name it, or the one still running was a 409
    number = Order.objects.get().number
    statuses = sorted(answer.status_code for answer in answers)  # type: ignore[attr-defined]
    assert statuses in ([201, 201], [201, 409])
    for answer in answers:
        if answer.status_code == 201:  # type: ignore[attr-defined]
            assert answer.json()["number"] == number  # type: ignore[attr-defined]
        else:
            assert answer.json()["code"] == "idempotency_key_in_use"  # type: ignore[attr-defined]
