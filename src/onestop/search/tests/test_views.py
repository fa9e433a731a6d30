"""The search page, its API and the staff synonym pages, through HTTP."""

from __future__ import annotations

import pytest

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.audit.models import AuditEvent
from onestop.search.models import SynonymGroup

pytestmark = pytest.mark.django_db


@pytest.mark.clause("WX 7.2.1")
def test_the_search_page_shows_highlighted_results(client, world):
    response = client.get("/search/", {"q": "压力表校准"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/institutions/offerings/{world.gauge.pk}/"' in page
    assert "<mark>压力表</mark>" in page


def test_bad_input_is_a_400_with_the_message_on_its_field(client, world):
    response = client.get("/search/", {"q": "检" * 2000})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="search-error"' in page
    assert 'aria-invalid="true"' in page
    assert "检" * 60 not in page.split('name="q"', 1)[0]  # nothing echoed before the box
    assert client.get("/search/", {"category": "999"}).status_code == 400


def test_pages_keep_the_filters(client, world):
    response = client.get("/search/", {"q": "服务", "kind": "item"})
    assert response.status_code == 200
    assert "kind=item" in response.content.decode()  # in the pagination links


def test_the_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    # synonyms, candidate ids, the ranked page, the category and region lists,
    # and the visitor's region in the header
    with django_assert_num_queries(6):
        client.get("/search/", {"q": "检测"})
    with django_assert_num_queries(6):
        client.get("/search/", {"q": "压力表"})


def test_the_api_answers_without_login(client, world):
    response = client.get("/api/v1/search/", {"q": "压力表校准", "kind": "offering"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["results"][0]["url"] == f"/institutions/offerings/{world.gauge.pk}/"
    assert "<mark>" in body["results"][0]["title_html"]
    bad = client.get("/api/v1/search/", {"q": "！！！"})
    assert bad.status_code == 400
    assert bad.json()["field"] == "q"


# --- synonyms (workbench) ------------------------------------------------------

SYNONYM_URLS = [("get", "/search/synonyms/"), ("post", "/search/synonyms/")]


@pytest.fixture
def manager(make_user):
    return make_user("center_staff", "320200", kind="staff")


@pytest.mark.parametrize(("method", "url"), SYNONYM_URLS)
def test_anonymous_visitors_go_to_the_workbench_login(client, world, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/login/")


@pytest.mark.parametrize(("method", "url"), SYNONYM_URLS)
def test_enterprise_users_and_station_staff_are_refused(
    client, world, make_user, otp_login, regions, method, url
):
    client.force_login(make_user("enterprise", "320200", kind="enterprise"))
    assert getattr(client, method)(url, {"terms": "甲 乙"}).status_code == 403
    worker = make_user(kind="staff")
    role_grant(actor=None, user=worker, role=Role.STATION_STAFF, region=regions["320281"])
    otp_login(worker)
    assert getattr(client, method)(url, {"terms": "甲 乙"}).status_code == 403
    assert not SynonymGroup.objects.filter(terms="甲 乙").exists()


def test_staff_without_a_verified_second_factor_go_to_2fa(client, world, manager):
    client.force_login(manager)
    response = client.post("/search/synonyms/", {"terms": "甲 乙"})
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/2fa/")
    assert not SynonymGroup.objects.filter(terms="甲 乙").exists()


def test_center_staff_add_and_delete_a_group_and_search_follows(
    client, world, manager, otp_login, django_capture_on_commit_callbacks
):
    otp_login(manager)
    assert client.get("/search/synonyms/").status_code == 200
    before = client.get("/search/", {"q": "衡器", "kind": "institution"}).content.decode()
    assert "无锡市计量测试院" not in before
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/search/synonyms/", {"terms": "天平 衡器"})
    assert response.status_code == 302
    group = SynonymGroup.objects.get(terms="天平 衡器")
    assert AuditEvent.objects.filter(action="search.synonyms_add").exists()
    # The institution's certificate covers 天平, which 衡器 now also finds.
    after = client.get("/search/", {"q": "衡器", "kind": "institution"}).content.decode()
    assert "无锡市计量测试院" in after

    bad = client.post("/search/synonyms/", {"terms": "只有一个"})
    assert bad.status_code == 400
    assert client.post("/search/synonyms/", {"terms": "a<script> b"}).status_code == 400

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/search/synonyms/{group.pk}/delete/")
    assert not SynonymGroup.objects.filter(pk=group.pk).exists()
    assert client.post("/search/synonyms/999999/delete/").status_code == 404
    assert client.get(f"/search/synonyms/{group.pk}/delete/").status_code == 405
