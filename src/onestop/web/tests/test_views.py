import pytest
from django.test import Client


@pytest.mark.clause("WX 4.1.2b")
def test_home_is_chinese_first_with_the_brand(client, regions, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in body
    assert "质量服务“一站式”平台" in body
    assert "首页" in body
    assert "计量" in body
    assert "当前地区：柳州市" in body


@pytest.mark.clause("LZ 6.3.2")
def test_brand_colours_come_from_settings(client, regions, settings):
    settings.ONESTOP_BRAND_PRIMARY = "#123456"

    body = client.get("/").content.decode()

    assert "--brand: #123456" in body
    assert "--accent: #FF0000" in body


def test_english_is_the_second_language(client, regions):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)

    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Home" in body
    assert "Service areas" in body


def test_region_switch_remembers_a_known_region(client, regions):
    response = client.post("/region/", {"code": "320281", "next": "/about/"})

    assert response.status_code == 302
    assert response["Location"] == "/about/"
    assert "当前地区：江阴市" in client.get("/").content.decode()


@pytest.mark.parametrize("code", ["999999", "abc", "", "4502001234567890123"])
def test_region_switch_rejects_unknown_codes_without_changing_anything(client, regions, code):
    response = client.post("/region/", {"code": code, "next": "/"})

    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert "当前地区：柳州市" in client.get("/").content.decode()


def test_region_switch_ignores_offsite_next(client, regions):
    response = client.post("/region/", {"code": "650500", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_404_page_is_chinese(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_500_page_is_chinese_and_needs_no_database(db):
    from django.template import loader

    html = loader.get_template("500.html").render({})

    assert "服务暂时不可用" in html


def test_unhandled_error_renders_the_500_page(db, settings):
    from django.urls import path

    from onestop.config import urls as root_urls

    def boom(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("boom/", boom)], "handler500": root_urls.handler500}
    )
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()


def test_about_page(client, regions):
    assert "办理时限如何计算" in client.get("/about/").content.decode()


def test_browser_language_does_not_override_chinese_first(client, regions):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="zh-hans">' in response.content.decode()


def test_an_unsupported_language_cookie_falls_back_to_chinese(client, regions):
    client.cookies["django_language"] = "fr"

    assert '<html lang="zh-hans">' in client.get("/").content.decode()


def test_a_domain_error_in_any_view_is_a_clear_chinese_page_not_a_500(db, settings):
    """A deadline in an uncovered year reaches staff as a 409 page that says why."""
    from django.urls import path

    from onestop.core.workdays import CalendarNotCovered

    def compute_deadline(request):
        raise CalendarNotCovered(2027)

    from onestop.config import urls as root_urls

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("deadline/", compute_deadline), *root_urls.urlpatterns]}
    )

    response = Client(raise_request_exception=False).get("/deadline/")

    assert response.status_code == 409
    body = response.content.decode()
    assert "2027年的节假日安排尚未录入工作日历" in body
    assert "该请求无法办理" in body
