import pytest

from onestop.core.errors import InvalidInput
from onestop.regions.models import Region
from onestop.regions.selectors import UnknownRegion, region_ancestors, region_get
from onestop.regions.services import region_upsert, regions_load_bundled


def test_bundled_tree_has_the_three_demo_cities(regions):
    assert regions["450200"].name == "柳州市"
    assert regions["650500"].name == "哈密市"
    assert regions["320281"].name == "江阴市"
    assert regions["320281"].parent == regions["320200"]
    assert regions["320200"].effective_profile() == "WX"
    assert regions["320281001"].effective_profile() == "WX"
    assert regions["650502"].effective_profile() == "HM"


def test_loading_twice_changes_nothing(regions):
    count = Region.objects.count()

    regions_load_bundled()

    assert Region.objects.count() == count


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("45020", "district", "450200"),  # too short
        ("4502AB", "district", "450200"),  # not digits
        ("450200", "district", "450200"),  # city-shaped code for a district
        ("320202", "district", "450200"),  # belongs to another city
        ("450201", "city", "450000"),  # district-shaped code for a city
    ],
)
def test_upsert_rejects_bad_codes(regions, code, level, parent):
    with pytest.raises(InvalidInput):
        region_upsert(code=code, name="坏", level=level, parent=regions[parent])


def test_unknown_code_is_a_not_found_domain_error(regions):
    with pytest.raises(UnknownRegion) as caught:
        region_get(code="999999")

    assert caught.value.status == 404
    assert "999999" in caught.value.message


def test_ancestors_in_order(regions):
    names = [r.name for r in region_ancestors(regions["320281001"])]

    assert names == ["江苏省", "无锡市", "江阴市", "江阴高新技术产业开发区"]


def test_api_lists_children_and_shows_one(client, regions, django_assert_num_queries):
    with django_assert_num_queries(3):
        listed = client.get("/api/v1/regions/?parent=320200").json()
    one = client.get("/api/v1/regions/320281").json()

    assert {r["code"] for r in listed} >= {"320281", "320205"}
    assert one == {
        "code": "320281",
        "name": "江阴市",
        "level": "district",
        "parent_code": "320200",
        "profile": "WX",
    }


def test_api_unknown_region_is_404_json(client, regions):
    response = client.get("/api/v1/regions/12%3Cscript%3E")

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_region"
