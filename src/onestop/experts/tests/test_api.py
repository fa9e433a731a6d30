import pytest

from onestop.experts.models import Availability, Expert
from onestop.experts.tests.conftest import SECRET_EMAIL, SECRET_PHONE

API = "/api/v1/experts/"


@pytest.mark.clause("HM 4.1.2.1")
def test_anyone_can_read_the_pool_without_contacts(client, secret_expert):
    response = client.get(API, {"region": "450200"})

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["page"] == 1
    assert data["pages"] == 1
    (expert,) = data["results"]
    assert expert == {
        "id": secret_expert.pk,
        "name": "覃秘华",
        "title": "正高级工程师",
        "organisation": "柳州市计量技术测试研究所",
        "region_code": "450200",
        "region_name": "柳州市",
        "categories": [
            {"code": "metrology-verification", "name": "检定校准"},
            {"code": "ip-patent", "name": "专利服务"},
        ],
        "specialties": "压力、温度计量；测量管理体系建设",
        "qualifications": "一级注册计量师",
        "availability": "available",
        "availability_label": expert["availability_label"],
    }
    body = response.content.decode()
    assert SECRET_PHONE[-4:] not in body
    assert SECRET_EMAIL.split("@")[0] not in body


def test_one_expert(client, secret_expert):
    response = client.get(f"{API}{secret_expert.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "覃秘华"
    assert "contact_phone" not in response.json()


def test_filters_match_the_public_page(client, make_expert):
    make_expert(name="柳州计量", region_code="450205", categories=("metrology-consulting",))
    make_expert(name="柳州专利", region_code="450205", categories=("ip-patent",))
    make_expert(name="哈密计量", region_code="650502", categories=("metrology-verification",))

    def names(**params):
        return {e["name"] for e in client.get(API, params).json()["results"]}

    assert names() == {"柳州计量", "柳州专利", "哈密计量"}
    assert names(category="metrology") == {"柳州计量", "哈密计量"}
    assert names(category="metrology", region="450200") == {"柳州计量"}
    assert names(category="ip-patent") == {"柳州专利"}


def test_removed_and_unknown_experts_are_404_json(client, make_expert):
    removed = make_expert()
    Expert.objects.filter(pk=removed.pk).update(active=False)

    for url in (f"{API}{removed.pk}", f"{API}999999", f"{API}?category=none", f"{API}?region=1"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] in ("expert_not_found", "unknown_category", "unknown_region")
    assert client.get(API).json()["count"] == 0


def test_pages(client, make_expert, django_assert_num_queries):
    for n in range(25):
        make_expert(name=f"接口专家{n:02d}", availability=Availability.LIMITED)

    client.get(API, {"page": 2})
    # count, page, fields
    with django_assert_num_queries(3):
        second = client.get(API, {"page": 2}).json()

    assert (second["count"], second["page"], second["pages"]) == (25, 2, 2)
    assert [e["name"] for e in second["results"]] == [f"接口专家{n:02d}" for n in range(20, 25)]
    assert client.get(API, {"page": 0}).status_code == 422
