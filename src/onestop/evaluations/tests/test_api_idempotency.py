"""Submitting an evaluation with an Idempotency-Key (issue 7): the link is
the credential, so a key belongs to the link; a retry gets the first answer
(where without a key it would be 410, the link used up); other answers with
the same key are a 422; a refused link is still audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from onestop.audit.models import AuditEvent
from onestop.core import tasks
from onestop.core.models import IdempotencyKey
from onestop.evaluations import services
from onestop.evaluations.models import Evaluation

from .conftest import FIVE_GOOD, HM_GOOD

pytestmark = pytest.mark.django_db

BASE = "/api/v1/evaluations"


def submit(client, token, key=None, **overrides):
    body = {"answers": HM_GOOD, "comment": "很好", "signer": "周主任", **overrides}
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        f"{BASE}/invitations/{token}", body, content_type="application/json", headers=headers
    )


@pytest.fixture
def token(world):
    return services.invitation_token(services.evaluation_invite(order=world.hm_order))


def test_a_retry_with_the_key_gets_the_same_evaluation(client, token):
    # given an evaluation submitted with a key, whose answer was lost
    first = submit(client, token, key="e-1")
    # when it is sent again with the key, and once more without
    again = submit(client, token, key="e-1")
    plain = submit(client, token)
    # then the retry gets the same evaluation; without the key the link is used up
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"] == Evaluation.objects.get().pk
    assert again["Idempotent-Replayed"] == "true"
    assert plain.status_code == 410
    assert Evaluation.objects.count() == 1


def test_the_same_key_with_other_answers_is_a_422(client, token):
    submit(client, token, key="e-1")
    other = submit(client, token, key="e-1", comment="一般")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Evaluation.objects.count() == 1


def test_a_key_belongs_to_the_link(client, world, token):
    other_token = services.invitation_token(services.evaluation_invite(order=world.wx_order))
    # given the same key on two links, the second sent while logged in
    first = submit(client, token, key="e-1")
    client.force_login(world.user)
    second = client.post(
        f"{BASE}/invitations/{other_token}",
        {"answers": FIVE_GOOD},
        content_type="application/json",
        headers={"Idempotency-Key": "e-1"},
    )
    # then both were stored; the tokens themselves are not kept
    assert (first.status_code, second.status_code) == (201, 201), second.content
    assert Evaluation.objects.count() == 2
    assert not IdempotencyKey.objects.filter(scope__contains=token[:20]).exists()


def test_a_refused_link_is_still_audited_and_keeps_no_key(client, world):
    forged = signing.dumps(999, salt="another salt")
    refused = submit(client, forged, key="e-1")
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="evaluations.link_refused").exists()
    assert not IdempotencyKey.objects.exists()


def test_expired_keys_are_cleaned(client, token, time_machine):
    submit(client, token, key="e-1")
    time_machine.shift(dt.timedelta(hours=24, minutes=1))
    tasks.idempotency_keys_purge()
    assert not IdempotencyKey.objects.exists()
    # the link is used up: the retry now meets the usual 410
    assert submit(client, token, key="e-1").status_code == 410
