"""Publishing a demand with an Idempotency-Key (issue 7): a retry of the same
multipart form (attachments included) gets the first demand back and
publishes nothing; other content is a 422; keys are per user."""

from __future__ import annotations

import datetime as dt

import pytest

from onestop.core import tasks
from onestop.core.models import IdempotencyKey
from onestop.demands.models import Demand
from onestop.demands.tests import factories as f

from .test_api import BASE, form

pytestmark = pytest.mark.django_db


def publish(client, calibration, key=None, attachment=None, **overrides):
    data = form(calibration, **overrides)
    if attachment is not None:
        data["attachments"] = [attachment]
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(f"{BASE}/mine", data, headers=headers)


def test_a_retry_with_the_key_gets_the_same_demand(client, person, calibration):
    client.force_login(person)
    # given a demand with a photo published with a key, whose answer was lost
    first = publish(client, calibration, key="d-1", attachment=f.png())
    # when the same form is sent again
    again = publish(client, calibration, key="d-1", attachment=f.png())
    # then the same demand comes back and only one exists, with one attachment
    assert (first.status_code, again.status_code) == (201, 201), first.content
    assert again.json()["number"] == first.json()["number"] == Demand.objects.get().number
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Demand.objects.get().attachments.count() == 1


def test_the_same_key_with_other_content_is_a_422(client, person, calibration):
    client.force_login(person)
    publish(client, calibration, key="d-1", attachment=f.png("a.png"))
    # when the key is reused with another title, or another file
    other_title = publish(client, calibration, key="d-1", title="电子秤校准")
    other_file = publish(client, calibration, key="d-1", attachment=f.png("b.png"))
    # then 422, nothing published
    for answer in (other_title, other_file):
        assert answer.status_code == 422
        assert answer.json()["code"] == "idempotency_key_reused"
    assert Demand.objects.count() == 1


def test_another_users_same_key_is_independent(client, person, stranger, calibration):
    client.force_login(person)
    mine = publish(client, calibration, key="d-1")
    client.force_login(stranger)
    theirs = publish(client, calibration, key="d-1")
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["number"] != theirs.json()["number"]
    assert Demand.objects.count() == 2


def test_without_a_login_or_a_key_nothing_changes(client, person, calibration):
    assert publish(client, calibration, key="d-1").status_code == 401
    client.force_login(person)
    # two identical forms without a key are two demands, as before
    assert publish(client, calibration).status_code == 201
    assert publish(client, calibration).status_code == 201
    assert Demand.objects.count() == 2
    assert not IdempotencyKey.objects.exists()


def test_a_refused_demand_keeps_no_key(client, person, calibration):
    client.force_login(person)
    refused = publish(client, calibration, key="d-1", category="no-such")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.exists()
    # the corrected form may use the same key
    assert publish(client, calibration, key="d-1").status_code == 201


def test_expired_keys_are_cleaned(client, person, calibration, time_machine):
    client.force_login(person)
    first = publish(client, calibration, key="d-1")
    time_machine.shift(dt.timedelta(hours=24, minutes=1))
    tasks.idempotency_keys_purge()
    assert not IdempotencyKey.objects.exists()
    client.force_login(person)  # the session expired meanwhile
    again = publish(client, calibration, key="d-1")
    assert again.status_code == 201
    assert again.json()["number"] != first.json()["number"]
