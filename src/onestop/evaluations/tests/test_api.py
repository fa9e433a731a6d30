"""The evaluations API: the questionnaire and its one submission behind a
link (no login), the institution's list without identities, appeals."""

from __future__ import annotations

import pytest
from django.core import signing

from onestop.audit.models import AuditEvent
from onestop.evaluations import services
from onestop.evaluations.models import Appeal, Evaluation

from .conftest import HM_GOOD

pytestmark = pytest.mark.django_db

BASE = "/api/v1/evaluations"


@pytest.mark.clause("HM A")
def test_questionnaire_and_one_submission(client, world):
    token = services.invitation_token(services.evaluation_invite(order=world.hm_order))
    got = client.get(f"{BASE}/invitations/{token}")
    assert got.status_code == 200
    body = got.json()
    assert body["subject"] == "order"
    assert body["number"] == world.hm_order.number
    assert [q["key"] for q in body["questions"]][:5] == [f"center_{i}" for i in range(1, 6)]
    assert [s["label"] for s in body["scale"]] == ["非常满意", "满意", "一般", "不满意"]
    assert body["asks_signature"] is True

    sent = client.post(
        f"{BASE}/invitations/{token}",
        {"answers": HM_GOOD, "comment": "很好", "signer": "周主任"},
        content_type="application/json",
    )
    assert sent.status_code == 201
    assert sent.json()["dissatisfied"] is False
    again = client.post(
        f"{BASE}/invitations/{token}", {"answers": HM_GOOD}, content_type="application/json"
    )
    assert again.status_code == 410
    assert again.json()["code"] == "link_gone"
    assert Evaluation.objects.count() == 1


@pytest.mark.clause("WX 7.3")
def test_bad_links_and_answers_store_nothing(client, world):
    forged = signing.dumps(999, salt="another salt")
    assert client.get(f"{BASE}/invitations/{forged}").status_code == 400
    assert AuditEvent.objects.filter(action="evaluations.link_refused").exists()
    token = services.invitation_token(services.evaluation_invite(order=world.hm_order))
    off_scale = client.post(
        f"{BASE}/invitations/{token}",
        {"answers": {**HM_GOOD, "center_1": "excellent"}},
        content_type="application/json",
    )
    assert off_scale.status_code == 400
    huge = client.post(
        f"{BASE}/invitations/{token}",
        {"answers": HM_GOOD, "comment": "长" * (3 * 1024 * 1024)},
        content_type="application/json",
    )
    assert huge.status_code in (400, 413)
    assert Evaluation.objects.count() == 0


@pytest.mark.clause("HM 5.2")
def test_institution_list_has_no_identity_and_appeal(client, world):
    token = services.invitation_token(services.evaluation_invite(order=world.hm_order))
    services.evaluation_submit(
        token=token,
        answers={**HM_GOOD, "institution_4": "dissatisfied"},
        enterprise_name="哈密某企业",
        signer="赵先生",
    )
    assert client.get(f"{BASE}/institution").status_code == 401
    client.force_login(world.hm_person)
    listing = client.get(f"{BASE}/institution")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert listing.json()["count"] == 1
    for secret in (world.user.display_name, "哈密某企业", "赵先生"):
        assert secret not in text
    assert listing.json()["results"][0]["rater"] == ""
    evaluation_id = listing.json()["results"][0]["id"]
    appealed = client.post(
        f"{BASE}/institution/{evaluation_id}/appeal",
        {"reason": "我方已按约定时间交付，请核实。"},
        content_type="application/json",
    )
    assert appealed.status_code == 201
    assert Appeal.objects.count() == 1

    client.force_login(world.wx_person)  # another institution
    other = client.post(
        f"{BASE}/institution/{evaluation_id}/appeal",
        {"reason": "别的机构不能申诉这条评价。"},
        content_type="application/json",
    )
    assert other.status_code == 404
