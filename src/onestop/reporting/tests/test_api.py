"""GET /api/v1/statistics/published and /published/{id}: public, paged, 404 documented."""

from __future__ import annotations

import pytest

from onestop.reporting import services

from .conftest import OCT_1, OCT_31, PRIVATE

pytestmark = pytest.mark.django_db

BASE = "/api/v1/statistics/published"


def publish(actor, region):
    return services.snapshot_publish(
        actor=actor, region=region, kind="month", start=OCT_1, end=OCT_31, methods=["user"]
    )


@pytest.fixture
def published(rolled, wx_center, regions):
    return publish(wx_center, regions["320200"])


@pytest.mark.clause("WX 8.1.1")
def test_the_list_needs_no_login_and_shows_latest_versions(client, published, wx_center, regions):
    second = publish(wx_center, regions["320200"])
    jiangyin = publish(wx_center, regions["320281"])
    body = client.get(BASE).json()
    assert body["count"] == 2
    assert {r["id"] for r in body["results"]} == {second.pk, jiangyin.pk}
    first = next(r for r in body["results"] if r["id"] == second.pk)
    assert first["version"] == 2
    assert first["region_code"] == "320200"
    assert (first["start"], first["end"]) == ("2026-10-01", "2026-10-31")
    assert first["csv_url"] == f"/statistics/published/{second.pk}.csv"


def test_the_list_by_region_and_pages(client, published):
    assert client.get(BASE, {"region": "320000"}).json()["count"] == 1
    assert client.get(BASE, {"region": "650500"}).json()["count"] == 0
    assert client.get(BASE, {"page": 5}).json()["page"] == 1
    missing = client.get(BASE, {"region": "999999"})
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_region"


@pytest.mark.clause("WX 8.1.1")
@pytest.mark.clause("WX 8.1.2")
def test_one_publication_with_its_tables(client, published, wx_center, regions):
    second = publish(wx_center, regions["320200"])
    body = client.get(f"{BASE}/{second.pk}").json()
    assert body["methods"] == ["user"]
    assert body["replaces_id"] == published.pk
    assert body["replaced_by_id"] is None
    orders = next(t for t in body["tables"] if t["key"] == "orders")
    assert orders["rows"][0][1] == 8
    institutions = next(t for t in body["tables"] if t["key"] == "institutions")
    assert institutions["rows"][0][:2] == ["江阴示范检测所", 6]
    assert client.get(f"{BASE}/{published.pk}").json()["replaced_by_id"] == second.pk
    text = str(body)
    for private in PRIVATE:
        assert private not in text


def test_an_unknown_publication_is_a_404(client, db):
    response = client.get(f"{BASE}/4242")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_404_is_documented(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/statistics/published/{snapshot_id}"]["get"]
    assert "404" in operation["responses"]
    assert operation.get("security") in (None, [])
