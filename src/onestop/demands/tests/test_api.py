"""The demands API under /api/v1/demands/: one's own demands only, the same
rules as the pages, errors as JSON with a code."""

from __future__ import annotations

import pytest

from onestop.demands.models import ContactMethod, Demand, DemandStatus
from onestop.demands.tests import factories as f

pytestmark = pytest.mark.django_db

BASE = "/api/v1/demands"


def form(calibration, **overrides):
    values = {
        "category": calibration.code,
        "title": "压力表校准",
        "description": "我公司有 20 块一般压力表需要校准，量程 0-1.6MPa。",
        "region_code": "320281",
        "contact_name": "张明",
        "contact_method": ContactMethod.PHONE,
        "contact_phone": "13812345678",
    }
    values.update(overrides)
    return values


def test_the_api_needs_login(client, db):
    assert client.get(f"{BASE}/mine").status_code == 401
    assert client.post(f"{BASE}/mine", {"title": "x"}).status_code == 401
    assert client.get(f"{BASE}/mine/XQ2026111800001").status_code == 401


@pytest.mark.clause("WX 5.1b")
@pytest.mark.clause("WX 5.1d")
def test_publish_and_follow_through_the_api(client, person, calibration):
    client.force_login(person)

    created = client.post(f"{BASE}/mine", {**form(calibration), "attachments": [f.png()]})
    listed = client.get(f"{BASE}/mine")
    number = created.json()["number"]
    detail = client.get(f"{BASE}/mine/{number}")

    assert created.status_code == 201, created.content
    assert created.json()["status"] == DemandStatus.PUBLISHED
    assert [d["number"] for d in listed.json()] == [number]
    body = detail.json()
    assert [e["kind"] for e in body["events"]] == ["publish"]
    assert {c["kind"] for c in body["clocks"]} == {"demand_response", "demand_recommendation"}
    assert Demand.objects.get().attachments.count() == 1


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"category": "no-such"}, 400, "invalid_input"),
        ({"region_code": "999999"}, 404, "unknown_region"),
        ({"contact_phone": ""}, 400, "invalid_input"),
        ({"desired_date": "2020-01-01"}, 400, "invalid_input"),
    ],
)
def test_bad_input_is_json_with_a_code(client, person, calibration, overrides, status, code):
    client.force_login(person)

    response = client.post(f"{BASE}/mine", form(calibration, **overrides))

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Demand.objects.exists()


def test_not_verified_users_are_refused(client, unverified, calibration):
    client.force_login(unverified)

    response = client.post(f"{BASE}/mine", form(calibration))

    assert response.status_code == 403
    assert response.json()["code"] == "not_verified"


@pytest.mark.clause("WX 7.2.2.2.2")
def test_accept_a_recommendation_through_the_api(client, recommended, person, offering):
    client.force_login(person)
    detail = client.get(f"{BASE}/mine/{recommended.number}").json()
    chosen = next(r for r in detail["recommendations"] if r["offering_id"] == offering.pk)
    assert chosen["reasons"]  # plain-language reasons for the user

    accepted = client.post(
        f"{BASE}/mine/{recommended.number}/recommendations/{chosen['id']}/accept"
    )
    again = client.post(f"{BASE}/mine/{recommended.number}/recommendations/{chosen['id']}/accept")

    assert accepted.status_code == 200
    assert accepted.json()["status"] == DemandStatus.DOCKED
    assert accepted.json()["docking"]["service_phone"] == offering.institution.service_phone
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"


def test_other_people_s_demands_are_not_found(client, recommended, stranger):
    client.force_login(stranger)
    recommendation = recommended.recommendations.first()

    assert client.get(f"{BASE}/mine").json() == []
    assert client.get(f"{BASE}/mine/{recommended.number}").status_code == 404
    accepted = client.post(
        f"{BASE}/mine/{recommended.number}/recommendations/{recommendation.pk}/accept"
    )
    cancelled = client.post(
        f"{BASE}/mine/{recommended.number}/cancel", {"reason": ""}, content_type="application/json"
    )
    assert accepted.status_code == cancelled.status_code == 404
    recommended.refresh_from_db()
    assert recommended.status == DemandStatus.RECOMMENDED


def test_withdraw_through_the_api(client, demand, person):
    client.force_login(person)

    response = client.post(
        f"{BASE}/mine/{demand.number}/cancel",
        {"reason": "已找到机构"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == DemandStatus.CANCELLED
