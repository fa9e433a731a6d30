import json
import re

import pytest

from onestop.accounts.models import Role
from onestop.experts.models import Availability, Expert
from onestop.experts.tests.conftest import SECRET_EMAIL, SECRET_PHONE

# --- the public directory -------------------------------------------------------------


def _names(body: str) -> set[str]:
    return set(re.findall(r'<a href="/experts/\d+/">([^<]+)</a>', body))


@pytest.mark.clause("HM 4.1.2.1")
@pytest.mark.clause("LZ 6.2.3")
def test_directory_lists_experts_of_the_pool_without_login(client, make_expert):
    shown = make_expert(name="黄立新", title="高级工程师", specialties="电梯检验")
    removed = make_expert(name="陆远航")
    Expert.objects.filter(pk=removed.pk).update(active=False)

    response = client.get("/experts/?region=")

    assert response.status_code == 200
    body = response.content.decode()
    assert _names(body) == {"黄立新"}
    assert f'href="/experts/{shown.pk}/"' in body
    assert "高级工程师" in body
    assert "电梯检验" in body


def test_top_level_field_includes_its_sub_fields(client, make_expert):
    make_expert(name="韦计量", categories=("metrology-verification",))
    make_expert(name="韦咨询", categories=("metrology-consulting",))
    make_expert(name="韦专利", categories=("ip-patent",))
    make_expert(name="韦知产", categories=("ip",))

    assert _names(client.get("/experts/?region=&category=metrology").content.decode()) == {
        "韦计量",
        "韦咨询",
    }
    assert _names(client.get("/experts/?region=&category=ip").content.decode()) == {
        "韦专利",
        "韦知产",
    }
    assert _names(
        client.get("/experts/?region=&category=metrology-consulting").content.decode()
    ) == {"韦咨询"}


def test_an_expert_in_two_sub_fields_is_listed_once(client, make_expert):
    make_expert(name="韦双栖", categories=("metrology-verification", "metrology-consulting"))

    body = client.get("/experts/?region=&category=metrology").content.decode()

    assert body.count(">韦双栖</a>") == 1


def test_region_filter_covers_districts_and_the_city_pool(client, make_expert):
    make_expert(name="柳州市级", region_code="450200")
    make_expert(name="柳北区级", region_code="450205")
    make_expert(name="柳江区级", region_code="450206")
    make_expert(name="哈密市级", region_code="650500")

    assert _names(client.get("/experts/?region=450200").content.decode()) == {
        "柳州市级",
        "柳北区级",
        "柳江区级",
    }
    # a district sees its own experts and the city's pool, not its neighbour's
    assert _names(client.get("/experts/?region=450205").content.decode()) == {
        "柳州市级",
        "柳北区级",
    }


def test_list_defaults_to_the_visitors_region(client, make_expert, settings):
    settings.ONESTOP_DEFAULT_REGION = "650500"
    make_expert(name="哈密专家", region_code="650502")
    make_expert(name="无锡专家", region_code="320281")

    assert _names(client.get("/experts/").content.decode()) == {"哈密专家"}


def test_list_is_paginated_and_keeps_the_filters(client, make_expert):
    for n in range(23):
        make_expert(name=f"分页专家{n:02d}", region_code="320281")

    first = client.get("/experts/?region=320281&category=metrology").content.decode()
    second = client.get("/experts/?region=320281&category=metrology&page=2").content.decode()

    assert len(_names(first)) == 20
    assert len(_names(second)) == 3
    assert "page=2" in first
    assert "region=320281" in first.split('rel="next"')[0].rsplit("href=", 1)[1]


@pytest.mark.parametrize(
    "url", ["/experts/?category=nothing", "/experts/?region=999999", "/experts/999999/"]
)
def test_unknown_filters_and_ids_are_404_pages(client, regions, fields, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"<html" in response.content


def test_detail_shows_what_the_expert_knows(client, make_expert):
    expert = make_expert(
        name="冯明远",
        title="教授级高级工程师",
        organisation="广西壮族自治区特种设备检验研究院柳州分院",
        specialties="承压类特种设备检验",
        qualifications="特种设备检验师（RS2）",
        categories=("metrology-verification", "ip-patent"),
        availability=Availability.LIMITED,
    )

    body = client.get(f"/experts/{expert.pk}/").content.decode()

    for text in (
        "冯明远",
        "教授级高级工程师",
        "广西壮族自治区特种设备检验研究院柳州分院",
        "承压类特种设备检验",
        "特种设备检验师（RS2）",
        "检定校准",
        "专利服务",
        "柳州市",
        'data-availability="limited"',
    ):
        assert text in body


def test_a_removed_expert_has_no_public_page(client, make_expert):
    expert = make_expert()
    Expert.objects.filter(pk=expert.pk).update(active=False)
    assert client.get(f"/experts/{expert.pk}/").status_code == 404


def _secret_fragments() -> list[str]:
    local, domain = SECRET_EMAIL.split("@")
    return [
        SECRET_PHONE,
        SECRET_PHONE[-4:],
        SECRET_PHONE[:7],
        "139****9481",
        SECRET_EMAIL,
        local,
        domain,
        "q***@",
    ]


@pytest.mark.clause("HM 4.1.2.1")
def test_no_public_response_reveals_any_part_of_the_contacts(client, secret_expert):
    urls = [
        "/experts/",
        "/experts/?region=",
        "/experts/?region=450200&category=metrology",
        f"/experts/{secret_expert.pk}/",
        "/api/v1/experts/",
        "/api/v1/experts/?category=ip",
        f"/api/v1/experts/{secret_expert.pk}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if url.startswith("/api/"):
            body += json.dumps(response.json(), ensure_ascii=False)
            assert "contact" not in body, url
        assert "覃秘华" in body, url
        for fragment in _secret_fragments():
            assert fragment not in body, (url, fragment)


def test_list_query_count_is_constant(client, make_expert, django_assert_num_queries):
    make_expert(name="常数专家0", categories=("metrology-verification", "ip-patent"))
    url = "/experts/?region=450200&category=metrology"
    client.get(url)
    # region, category, count, page, fields, field choices, region choices, header region
    with django_assert_num_queries(8) as few:
        client.get(url)
    for n in range(1, 15):
        make_expert(name=f"常数专家{n}", categories=("metrology-verification", "ip-patent"))

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert len(_names(body)) == 15


def test_detail_query_count_is_constant(client, make_expert, django_assert_num_queries):
    expert = make_expert(categories=("metrology-verification",))
    client.get(f"/experts/{expert.pk}/")
    # expert+region, fields, upcoming Q&A sessions, the header's current region
    with django_assert_num_queries(4) as few:
        client.get(f"/experts/{expert.pk}/")
    other = make_expert(categories=("metrology-verification", "ip-patent", "ip"))

    with django_assert_num_queries(len(few.captured_queries)):
        client.get(f"/experts/{other.pk}/")


# --- the workbench ----------------------------------------------------------------------


def _form(fields, regions, **overrides):
    data = {
        "region": regions["450205"].pk,
        "name": "蒙晓东",
        "title": "高级工程师",
        "organisation": "柳州市质量检验检测研究中心",
        "categories": ["metrology-verification", "ip-patent"],
        "specialties": "汽车零部件检测",
        "qualifications": "",
        "availability": "available",
        "contact_phone": "0772-2812345",
        "contact_email": "meng@example.cn",
    }
    data.update(overrides)
    return data


@pytest.mark.clause("HM 4.1.2.1")
def test_center_staff_add_edit_and_remove_an_expert(client, otp_login, lz_staff, fields, regions):
    otp_login(lz_staff)
    assert client.get("/experts/manage/new/").status_code == 200

    response = client.post("/experts/manage/new/", _form(fields, regions))
    expert = Expert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/experts/manage/{expert.pk}/"
    assert {c.code for c in expert.categories.all()} == {"metrology-verification", "ip-patent"}

    assert client.get(f"/experts/manage/{expert.pk}/").status_code == 200
    response = client.post(
        f"/experts/manage/{expert.pk}/",
        _form(fields, regions, title="正高级工程师", categories=["ip"], availability=""),
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.title == "正高级工程师"
    assert [c.code for c in expert.categories.all()] == ["ip"]

    response = client.post(
        f"/experts/manage/{expert.pk}/availability/", {"availability": "limited"}
    )
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.availability == Availability.LIMITED

    assert client.get(f"/experts/manage/{expert.pk}/remove/").status_code == 200
    response = client.post(f"/experts/manage/{expert.pk}/remove/", {"reason": "退休"})
    assert response.status_code == 302
    assert response["Location"] == "/experts/manage/"
    expert.refresh_from_db()
    assert not expert.active
    assert expert.removal_reason == "退休"
    removed = client.get("/experts/manage/?removed=1").content.decode()
    assert "蒙晓东" in removed
    assert "蒙晓东" not in client.get("/experts/manage/").content.decode()
    assert client.get(f"/experts/manage/{expert.pk}/").status_code == 200


def test_a_bad_phone_is_shown_beside_the_field(client, otp_login, lz_staff, fields, regions):
    otp_login(lz_staff)

    response = client.post("/experts/manage/new/", _form(fields, regions, contact_phone="2812345"))

    assert response.status_code == 400
    body = response.content.decode()
    field = body.split('for="id_contact_phone"', 1)[1].split("</div>", 1)[0]
    assert 'class="field-error"' in field
    assert not Expert.objects.exists()


def test_no_fields_of_expertise_is_refused(client, otp_login, lz_staff, fields, regions):
    otp_login(lz_staff)
    response = client.post("/experts/manage/new/", _form(fields, regions, categories=[]))
    assert response.status_code == 400
    assert not Expert.objects.exists()


def test_staff_cannot_pick_a_region_outside_their_scope(
    client, otp_login, lz_staff, fields, regions
):
    otp_login(lz_staff)
    response = client.post(
        "/experts/manage/new/", _form(fields, regions, region=regions["650502"].pk)
    )
    assert response.status_code == 400
    assert not Expert.objects.exists()


def test_manage_list_shows_contacts_and_filters(client, otp_login, lz_staff, make_expert):
    make_expert(
        name="韦可约",
        categories=("metrology-verification",),
        contact_phone=SECRET_PHONE,
        contact_email=SECRET_EMAIL,
    )
    make_expert(name="韦忙碌", categories=("ip-patent",), availability=Availability.UNAVAILABLE)
    make_expert(name="哈密人", region_code="650500")
    otp_login(lz_staff)

    body = client.get("/experts/manage/").content.decode()
    assert SECRET_PHONE in body
    assert SECRET_EMAIL in body
    assert "韦忙碌" in body
    assert "哈密人" not in body

    body = client.get("/experts/manage/?category=metrology").content.decode()
    assert "韦可约" in body
    assert "韦忙碌" not in body
    body = client.get("/experts/manage/?availability=unavailable").content.decode()
    assert "韦忙碌" in body
    assert "韦可约" not in body
    assert client.get("/experts/manage/?availability=sometimes").status_code == 400


def test_manage_list_is_paginated_with_constant_queries(
    client, otp_login, lz_staff, make_expert, django_assert_num_queries
):
    make_expert(name="分页000", contact_phone=SECRET_PHONE)
    otp_login(lz_staff)
    client.get("/experts/manage/")
    # session, user, 2FA device, roles, field choices, count, header region, page, fields
    with django_assert_num_queries(9) as few:
        client.get("/experts/manage/")
    for n in range(1, 55):
        make_expert(name=f"分页{n:03d}", categories=("metrology-verification", "ip-patent"))

    with django_assert_num_queries(len(few.captured_queries)):
        first = client.get("/experts/manage/").content.decode()
    second = client.get("/experts/manage/?page=2").content.decode()
    # One edit link per expert: not the navigation's link to this list, not "new".
    links = re.findall(r'href="/experts/manage/(\d+)/"', first)
    assert len(links) == 50
    assert "分页054" in second


MANAGE_URLS = [
    ("get", "/experts/manage/"),
    ("get", "/experts/manage/new/"),
    ("post", "/experts/manage/new/"),
    ("get", "/experts/manage/{id}/"),
    ("post", "/experts/manage/{id}/"),
    ("post", "/experts/manage/{id}/availability/"),
    ("get", "/experts/manage/{id}/remove/"),
    ("post", "/experts/manage/{id}/remove/"),
]


def _call(client, method, url, expert):
    url = url.format(id=expert.pk)
    data = {"availability": "limited", "reason": "越权", "name": "改名者"}
    return client.post(url, data) if method == "post" else client.get(url)


def _unchanged(expert):
    expert.refresh_from_db()
    assert expert.active
    assert expert.availability == Availability.AVAILABLE
    assert expert.name != "改名者"
    assert Expert.objects.count() == 1


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_anonymous_visitors_are_sent_to_the_workbench_login(client, make_expert, method, url):
    expert = make_expert()
    response = _call(client, method, url, expert)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/login/")
    _unchanged(expert)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_enterprise_users_are_refused(client, make_user, make_expert, method, url):
    expert = make_expert()
    client.force_login(make_user(Role.ENTERPRISE, "450200", kind="enterprise"))
    assert _call(client, method, url, expert).status_code == 403
    _unchanged(expert)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_station_staff_are_refused(client, otp_login, station_worker, make_expert, method, url):
    expert = make_expert(region_code="450205")
    otp_login(station_worker)
    assert _call(client, method, url, expert).status_code == 403
    _unchanged(expert)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_center_staff_of_another_city_see_nothing_of_this_pool(
    client, otp_login, hm_staff, make_expert, method, url
):
    expert = make_expert(region_code="450205", name="柳北专家")
    otp_login(hm_staff)
    response = _call(client, method, url, expert)
    if "{id}" in url:
        assert response.status_code == 404
    else:
        # their own (empty) list, or a form that cannot choose a Liuzhou region
        assert response.status_code in (200, 400)
        assert "柳北专家" not in response.content.decode()
    _unchanged(expert)


@pytest.mark.parametrize(("method", "url"), MANAGE_URLS)
def test_center_staff_without_a_verified_second_factor_go_to_2fa(
    client, lz_staff, make_expert, method, url
):
    expert = make_expert()
    client.force_login(lz_staff)
    response = _call(client, method, url, expert)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/2fa/")
    _unchanged(expert)


def test_the_availability_url_is_post_only(client, otp_login, lz_staff, make_expert):
    expert = make_expert()
    otp_login(lz_staff)
    assert client.get(f"/experts/manage/{expert.pk}/availability/").status_code == 405
