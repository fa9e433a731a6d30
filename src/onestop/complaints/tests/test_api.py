"""The complaints API under /api/v1/complaints/ (WX 7.4.2 online channel)."""

from __future__ import annotations

import json

import pytest

from onestop.audit.models import AuditEvent
from onestop.complaints.models import Complaint, Target

BASE = "/api/v1/complaints/"


def _post(client, payload):
    return client.post(BASE, data=json.dumps(payload), content_type="application/json")


def _payload(institution, **overrides):
    payload = {
        "target": Target.INSTITUTION,
        "institution_id": institution.pk,
        "type": "quality",
        "content": "校准证书数据有误，机构拒绝更正。",
        "request": "更正证书。",
    }
    payload.update(overrides)
    return payload


def test_visitors_get_401(client):
    assert client.get(BASE + "mine").status_code == 401
    assert client.get(BASE).status_code == 401
    assert _post(client, {}).status_code == 401


@pytest.mark.clause("WX 7.4.2")
def test_a_user_files_and_follows_a_complaint(client, customer, institution, order):
    client.force_login(customer)
    created = _post(client, _payload(institution, order_number=order.number))
    assert created.status_code == 201
    body = created.json()
    assert body["number"].startswith("TS-2026-")
    assert body["status"] == "received"
    assert body["order_number"] == order.number
    assert body["investigation_due_at"].startswith("2026-11-2")
    assert body["actions"] == ["withdraw"]
    assert [e["to_status"] for e in body["timeline"]] == ["received"]

    mine = client.get(BASE + "mine").json()
    assert (mine["count"], mine["results"][0]["number"]) == (1, body["number"])
    one = client.get(BASE + body["number"])
    assert one.status_code == 200
    assert one.json()["content"] == "校准证书数据有误，机构拒绝更正。"


@pytest.mark.clause("WX 7.4.2")
def test_an_institution_not_on_the_platform_is_400_audited(client, customer, institution):
    client.force_login(customer)
    response = _post(client, _payload(institution, institution_id=institution.pk + 77))
    assert response.status_code == 400
    assert response.json()["code"] == "complaint_refused"
    assert Complaint.objects.count() == 0
    assert AuditEvent.objects.filter(action="complaints.refused").count() == 1


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"type": "nonsense"}, 400),
        ({"target": "moon"}, 400),
        ({"content": ""}, 400),
        ({"request": "x" * 2001}, 400),
        ({"station_id": 999, "target": "station", "institution_id": None}, 400),
    ],
)
def test_bad_input_is_4xx_json_and_stores_nothing(client, customer, institution, payload, status):
    client.force_login(customer)
    response = _post(client, _payload(institution, **payload))
    assert response.status_code == status
    assert response.json()["code"]
    assert Complaint.objects.count() == 0


@pytest.mark.clause("WX 7.4.2")
def test_3_mb_of_content_is_refused_before_anything_is_stored(client, customer, institution):
    client.force_login(customer)
    response = _post(client, _payload(institution, content="投" * (3 * 1024 * 1024)))
    assert response.status_code in (400, 413)
    assert Complaint.objects.count() == 0


def test_someone_elses_order_and_complaint_are_404(client, stranger, customer, order, institution):
    client.force_login(customer)
    number = _post(client, _payload(institution)).json()["number"]
    client.force_login(stranger)
    assert _post(client, _payload(institution, order_number=order.number)).status_code == 404
    assert client.get(BASE + number).status_code == 404
    assert client.get(BASE + "mine").json()["count"] == 0


def test_an_enterprise_the_user_is_not_in_is_404(client, customer, institution, buyer_enterprise):
    client.force_login(customer)
    response = _post(client, _payload(institution, enterprise_id=buyer_enterprise.pk))
    assert response.status_code == 404


def test_staff_list_their_regions_complaints_after_two_factor(
    client, otp_login, wx_center, lz_center, customer, file, django_assert_num_queries
):
    complaints = [file() for _ in range(3)]
    # Password only: refused.
    client.force_login(wx_center)
    assert client.get(BASE).status_code == 403
    otp_login(wx_center)
    client.get(BASE)  # the session starts its clocks once
    with django_assert_num_queries(6):
        response = client.get(BASE)
    body = response.json()
    assert body["count"] == 3
    assert {r["number"] for r in body["results"]} == {c.number for c in complaints}
    assert body["results"][0]["complainant_name"] == customer.display_name
    assert body["results"][0]["investigation_due_at"] is not None
    otp_login(lz_center)
    assert client.get(BASE).json()["count"] == 0
    assert client.get(BASE + "?status=bogus").status_code == 400


def test_users_cannot_list_everyones_complaints(client, customer, file):
    file()
    client.force_login(customer)
    assert client.get(BASE).status_code == 403


def test_the_openapi_schema_documents_the_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/complaints/"]["post"]["responses"]
    assert {"201", "400", "401", "403", "404"} <= set(post)
    get = schema["paths"]["/api/v1/complaints/{number}"]["get"]["responses"]
    assert {"200", "401", "404"} <= set(get)


def test_my_list_and_detail_in_a_fixed_number_of_queries(
    client, customer, file, advance, django_assert_num_queries
):
    complaints = [file() for _ in range(3)]
    advance(complaints[0], "fed_back")
    client.force_login(customer)
    client.get(BASE + "mine")  # the session starts its clocks once
    with django_assert_num_queries(4):
        listed = client.get(BASE + "mine")
    assert listed.json()["count"] == 3
    with django_assert_num_queries(6):
        one = client.get(BASE + complaints[0].number)
    assert one.json()["feedback"] == "机构已补发证书并致歉。"
    assert one.json()["upheld"] is True
    # The institution's response and the center's conclusion are not in the timeline.
    assert {e["note"] for e in one.json()["timeline"]} == {"", "机构已补发证书并致歉。"}
