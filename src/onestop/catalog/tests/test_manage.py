"""The workbench catalog editor (/services/manage/…)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from onestop.accounts.models import Role
from onestop.accounts.services import role_grant
from onestop.audit.models import AuditEvent
from onestop.catalog.models import ItemStatus, ServiceItem
from onestop.catalog.services import item_update_draft, item_withdraw
from onestop.catalog.tests.conftest import details

MATERIALS = (
    "计量器具登记表 | 加盖公章 | /documents/templates/instrument-register/\n"
    "营业执照 | 已认证企业免交"
)


def form_data(**overrides):
    data = {
        "name": "计量器具强制检定申请",
        "summary": "在用强制检定计量器具的检定申请。",
        "conditions": "辖区内使用强制检定计量器具的企业。",
        "materials": MATERIALS,
        "flow": "1. 在线提交申请\r\n2. 服务中心受理\r\n3. 出具检定证书",
        "time_limit_working_days": "5",
        "fees": "按物价部门核定标准收取",
        "channel": "both",
        "handled_by": "市计量测试中心",
    }
    data.update(overrides)
    return data


# --- who may open it ---------------------------------------------------------------------

# (url name, needs an item id, method)
PAGES = [
    ("manage_list", False, "get"),
    ("manage_new", False, "get"),
    ("manage_edit", True, "get"),
    ("manage_publish", True, "post"),
    ("manage_withdraw", True, "get"),
    ("manage_versions", True, "get"),
]


def _url(name, needs_item, item):
    return reverse(f"catalog:{name}", args=[item.pk] if needs_item else [])


@pytest.mark.parametrize(("name", "needs_item", "method"), PAGES)
def test_anonymous_visitors_go_to_the_workbench_login(
    client, publish_new, name, needs_item, method
):
    item = publish_new()

    response = getattr(client, method)(_url(name, needs_item, item))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workbench:login"))


@pytest.mark.parametrize(("name", "needs_item", "method"), PAGES)
def test_enterprise_users_are_refused(client, make_user, publish_new, name, needs_item, method):
    item = publish_new()
    client.force_login(make_user("enterprise", "320200", kind="enterprise"))

    response = getattr(client, method)(_url(name, needs_item, item))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "needs_item", "method"), PAGES)
def test_station_staff_without_the_permission_are_refused(
    client, otp_login, make_user, regions, publish_new, name, needs_item, method
):
    item = publish_new()
    worker = make_user(kind="staff")
    role_grant(actor=None, user=worker, role=Role.STATION_STAFF, region=regions["320281"])
    otp_login(worker)

    response = getattr(client, method)(_url(name, needs_item, item))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.versions.count() == 1


@pytest.mark.parametrize(("name", "needs_item", "method"), PAGES)
def test_center_staff_without_a_verified_second_factor_go_to_2fa(
    client, manager, publish_new, name, needs_item, method
):
    item = publish_new()
    client.force_login(manager)  # password only

    response = getattr(client, method)(_url(name, needs_item, item))

    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/2fa/")
    item.refresh_from_db()
    assert item.versions.count() == 1


@pytest.mark.parametrize(("name", "needs_item", "method"), PAGES)
def test_center_staff_with_2fa_open_every_page(
    client, otp_login, manager, publish_new, name, needs_item, method
):
    item = publish_new()
    item_update_draft(actor=manager, item=item, details=details(fees="改过的收费"))
    otp_login(manager)

    response = getattr(client, method)(_url(name, needs_item, item))

    assert response.status_code == (302 if method == "post" else 200)


def test_unknown_items_are_404(client, otp_login, manager, categories):
    otp_login(manager)

    assert client.get("/services/manage/999999/").status_code == 404
    assert client.post("/services/manage/999999/publish/").status_code == 404
    assert client.get("/services/manage/999999/versions/").status_code == 404


# --- the list ------------------------------------------------------------------------------


def test_list_filters_by_category_and_status_and_pages(client, otp_login, manager, bundled):
    draft = ServiceItem.objects.get(name="商标咨询")
    item_withdraw(actor=manager, item=draft, reason="并入商标注册咨询")
    otp_login(manager)

    everything = client.get("/services/manage/").content.decode()
    assert everything.count('href="/services/manage/') >= 30
    assert "?page=2" in everything
    assert client.get("/services/manage/?page=3").status_code == 200

    metrology = client.get("/services/manage/?category=metrology").content.decode()
    assert "强制检定计量器具登记备案与申请" in metrology
    assert "商标咨询" not in metrology

    withdrawn = client.get("/services/manage/?status=withdrawn").content.decode()
    assert f'href="/services/manage/{draft.pk}/"' in withdrawn
    assert len(re.findall(r"<a href=\"/services/manage/\d+/\"", withdrawn)) == 1  # one row

    assert client.get("/services/manage/?category=nope").status_code == 400


def test_list_and_edit_pages_have_constant_query_counts(
    client, otp_login, manager, publish_new, django_assert_num_queries
):
    item = publish_new()
    otp_login(manager)
    client.get("/services/manage/")
    # session, user, assignments, OTP device, the header's region; then categories,
    # count, items, their current versions
    with django_assert_num_queries(9) as few:
        client.get("/services/manage/")
    for n in range(12):
        publish_new(name=f"批量事项{n:02d}", category="metrology-consulting")

    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get("/services/manage/").content.decode()
    assert body.count("批量事项") == 12

    # the same five for the layout, then the item and its current version
    with django_assert_num_queries(7):
        client.get(f"/services/manage/{item.pk}/")
    # … and all its versions with their publishers
    with django_assert_num_queries(8):
        client.get(f"/services/manage/{item.pk}/versions/")


# --- create, edit, publish -------------------------------------------------------------


def test_create_a_draft_then_publish_it(client, otp_login, manager, categories):
    otp_login(manager)
    assert client.get("/services/manage/new/").status_code == 200

    response = client.post(
        "/services/manage/new/",
        form_data(category=str(categories["metrology-verification"].pk)),
    )

    item = ServiceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/services/manage/{item.pk}/"
    assert item.status == ItemStatus.DRAFT
    assert item.flow == ["在线提交申请", "服务中心受理", "出具检定证书"]
    assert item.materials[0]["template"] == "/documents/templates/instrument-register/"
    assert client.get(f"/services/items/{item.pk}/").status_code == 404

    assert client.post(f"/services/manage/{item.pk}/publish/").status_code == 302

    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.PUBLISHED, 1)
    public = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "加盖公章" in public
    assert 'href="/documents/templates/instrument-register/"' in public


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"materials": "甲 | 乙 | 丙 | 丁"}, "materials"),
        ({"materials": " | 只有备注"}, "materials"),
        ({"materials": "申请表 | | javascript:alert(1)"}, "materials"),
        ({"flow": "\r\n  \r\n"}, "flow"),
        ({"time_limit_working_days": "0"}, "time_limit_working_days"),
        ({"channel": "pigeon"}, "channel"),
        ({"category": ""}, "category"),
        ({"category": "1"}, "category"),  # a top category, not a sub-category
    ],
)
def test_bad_input_is_shown_beside_its_field(
    client, otp_login, manager, categories, overrides, field
):
    otp_login(manager)
    data = form_data(category=str(categories["metrology-verification"].pk))
    if overrides.get("category") == "1":
        overrides["category"] = str(categories["metrology"].pk)
    data.update(overrides)

    response = client.post("/services/manage/new/", data)

    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert not ServiceItem.objects.exists()


@pytest.mark.clause("WX 4.1.1")
def test_editing_a_published_item_leaves_the_public_manual_until_published(
    client, otp_login, manager, publish_new
):
    item = publish_new(fees="免费")
    otp_login(manager)
    edit = client.get(f"/services/manage/{item.pk}/").content.decode()
    assert 'id="unpublished-changes"' not in edit

    response = client.post(f"/services/manage/{item.pk}/", form_data(fees="每台200元"))

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.fees == "每台200元"
    public = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "免费" in public
    assert "每台200元" not in public
    edit = client.get(f"/services/manage/{item.pk}/").content.decode()
    assert 'id="unpublished-changes"' in edit

    client.post(f"/services/manage/{item.pk}/publish/")

    public = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "每台200元" in public
    versions = client.get(f"/services/manage/{item.pk}/versions/").content.decode()
    table = versions.split('id="item-versions"', 1)[1].split("</table>", 1)[0]
    assert table.count("周文清") == 2  # who published each version
    assert list(item.versions.values_list("number", flat=True)) == [2, 1]


def test_saving_an_untouched_form_changes_nothing(client, otp_login, manager, bundled):
    item = ServiceItem.objects.get(name="强制检定计量器具登记备案与申请")
    otp_login(manager)
    form = client.get(f"/services/manage/{item.pk}/").context["form"]
    # the browser posts the initial values back, with its own line ends
    data = {
        name: str(value).replace("\n", "\r\n") if value is not None else ""
        for name, value in form.initial.items()
    }

    response = client.post(f"/services/manage/{item.pk}/", data)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="catalog.update").exists()
    edit = client.get(f"/services/manage/{item.pk}/").content.decode()
    assert 'id="unpublished-changes"' not in edit


def test_publishing_without_changes_says_so_and_adds_no_version(
    client, otp_login, manager, publish_new
):
    item = publish_new()
    otp_login(manager)

    response = client.post(f"/services/manage/{item.pk}/publish/", follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert item.versions.count() == 1


def test_publish_is_post_only(client, otp_login, manager, publish_new):
    item = publish_new()
    otp_login(manager)

    assert client.get(f"/services/manage/{item.pk}/publish/").status_code == 405


# --- withdraw ------------------------------------------------------------------------------


def test_withdraw_needs_a_reason_and_takes_the_item_off_the_public_catalog(
    client, otp_login, manager, publish_new
):
    item = publish_new()
    otp_login(manager)

    response = client.post(f"/services/manage/{item.pk}/withdraw/", {"reason": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]

    response = client.post(f"/services/manage/{item.pk}/withdraw/", {"reason": "并入其他事项"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN
    assert AuditEvent.objects.get(action="catalog.withdraw").changes["reason"] == "并入其他事项"
    assert client.get(f"/services/items/{item.pk}/").status_code == 404
    assert client.get(f"/services/items/{item.pk}/manual.pdf").status_code == 404

    edit = client.get(f"/services/manage/{item.pk}/").content.decode()
    assert f'action="/services/manage/{item.pk}/publish/"' in edit  # it can come back
    assert f'href="/services/manage/{item.pk}/withdraw/"' not in edit

    again = client.post(f"/services/manage/{item.pk}/withdraw/", {"reason": "再次"})
    assert again.status_code == 400  # only a published item can be withdrawn
    assert again.context["form"].non_field_errors()
