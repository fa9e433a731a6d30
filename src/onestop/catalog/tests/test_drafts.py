"""Writing the working copy of a manual: create, update, publish, withdraw."""

from __future__ import annotations

import pytest

from onestop.audit.models import AuditEvent
from onestop.catalog.forms import flow_text, materials_text, parse_flow, parse_materials
from onestop.catalog.models import ItemStatus, ServiceItem
from onestop.catalog.services import (
    Material,
    item_create_draft,
    item_publish,
    item_update_draft,
    item_withdraw,
)
from onestop.catalog.tests.conftest import details
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError
from onestop.search.models import SearchDocument


def test_a_new_item_is_a_draft_with_its_materials_and_an_audit_row(manager, categories):
    item = item_create_draft(
        actor=manager, category=categories["metrology-verification"], details=details()
    )

    assert item.status == ItemStatus.DRAFT
    assert item.version == 0
    assert item.materials == [
        {
            "name": "计量器具登记表",
            "note": "加盖公章",
            "template": "/documents/templates/instrument-register/",
        },
        {"name": "营业执照", "note": "已认证企业免交", "template": ""},
    ]
    assert item.flow == ["在线提交申请", "服务中心受理", "检定机构上门或送检", "出具检定证书"]
    event = AuditEvent.objects.get(action="catalog.create")
    assert event.actor_id == manager.pk
    assert event.changes["category"] == "metrology-verification"


@pytest.mark.parametrize("role", ["station_staff", "authority", "enterprise", "individual"])
def test_only_catalog_managers_create_or_edit(make_user, categories, publish_new, role):
    user = make_user(role, "320200")
    item = publish_new()

    with pytest.raises(PermissionDeniedError):
        item_create_draft(
            actor=user, category=categories["metrology-verification"], details=details(name="x")
        )
    with pytest.raises(PermissionDeniedError):
        item_update_draft(actor=user, item=item, details=details(fees="改"))
    item.refresh_from_db()
    assert item.fees != "改"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "名" * 101}, "name"),
        ({"summary": ""}, "summary"),
        ({"conditions": " "}, "conditions"),
        ({"fees": ""}, "fees"),
        ({"handled_by": ""}, "handled_by"),
        ({"channel": "pigeon"}, "channel"),
        ({"time_limit_working_days": 0}, "time_limit_working_days"),
        ({"time_limit_working_days": 366}, "time_limit_working_days"),
        ({"flow": ("  ",)}, "flow"),
        ({"flow": tuple(f"第{n}步" for n in range(31))}, "flow"),
        ({"flow": ("步" * 201,)}, "flow"),
        ({"materials": (Material(" "),)}, "materials"),
        ({"materials": (Material("表", template="javascript:alert(1)"),)}, "materials"),
        ({"materials": (Material("表", template="//evil.example/x"),)}, "materials"),
        ({"materials": (Material("表", template="ftp://example.com/x"),)}, "materials"),
        ({"materials": tuple(Material(f"材料{n}") for n in range(41))}, "materials"),
    ],
)
def test_an_invalid_working_copy_is_refused_on_its_field(manager, categories, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        item_create_draft(
            actor=manager,
            category=categories["metrology-verification"],
            details=details(**overrides),
        )

    assert caught.value.field == field
    assert not ServiceItem.objects.exists()


def test_template_links_may_be_https_or_a_page_of_this_site(manager, categories):
    item = item_create_draft(
        actor=manager,
        category=categories["metrology-verification"],
        details=details(
            materials=(
                Material("申请表", template="https://www.example.gov.cn/form.docx"),
                Material("承诺书", template="/documents/templates/pledge/"),
            )
        ),
    )

    assert [m["template"] for m in item.materials] == [
        "https://www.example.gov.cn/form.docx",
        "/documents/templates/pledge/",
    ]


def test_items_go_in_a_sub_category_and_names_are_unique(manager, categories, publish_new):
    with pytest.raises(InvalidInput) as caught:
        item_create_draft(actor=manager, category=categories["metrology"], details=details())
    assert caught.value.field == "category"

    publish_new(name="唯一的事项")
    with pytest.raises(InvalidInput) as caught:
        item_create_draft(
            actor=manager,
            category=categories["metrology-consulting"],
            details=details(name="唯一的事项"),
        )
    assert caught.value.field == "name"


@pytest.mark.clause("WX 4.1.1")
def test_editing_a_published_item_changes_only_the_working_copy(client, manager, publish_new):
    item = publish_new(fees="免费")

    item_update_draft(actor=manager, item=item, details=details(fees="每台200元"))

    item.refresh_from_db()
    assert (item.status, item.version, item.fees) == (ItemStatus.PUBLISHED, 1, "每台200元")
    assert item.versions.get().snapshot["fees"] == "免费"
    public = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "免费" in public
    assert "每台200元" not in public
    event = AuditEvent.objects.get(action="catalog.update")
    assert event.changes == {"fees": ["免费", "每台200元"]}

    item_publish(actor=manager, item=item)
    public = client.get(f"/services/items/{item.pk}/").content.decode()
    assert "每台200元" in public
    assert list(item.versions.values_list("number", flat=True)) == [2, 1]


def test_an_unchanged_save_records_nothing(manager, publish_new):
    item = publish_new()

    item_update_draft(actor=manager, item=item, details=details())

    assert not AuditEvent.objects.filter(action="catalog.update").exists()


def test_publishing_an_unchanged_published_item_is_refused(manager, publish_new):
    item = publish_new()

    with pytest.raises(InvalidTransition):
        item_publish(actor=manager, item=item)
    assert item.versions.count() == 1


def test_a_withdrawn_item_can_be_published_again_as_a_new_version(client, manager, publish_new):
    item = publish_new()
    item_withdraw(actor=manager, item=item, reason="暂停受理")
    assert client.get(f"/services/items/{item.pk}/").status_code == 404

    item_publish(actor=manager, item=item)

    item.refresh_from_db()
    assert (item.status, item.version) == (ItemStatus.PUBLISHED, 2)
    assert client.get(f"/services/items/{item.pk}/").status_code == 200


def test_a_withdrawal_needs_a_reason_of_sensible_length(manager, publish_new):
    item = publish_new()

    for reason in ["  ", "因" * 501]:
        with pytest.raises(InvalidInput) as caught:
            item_withdraw(actor=manager, item=item, reason=reason)
        assert caught.value.field == "reason"
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED


def test_publishing_and_withdrawing_refresh_the_search_index(
    manager, categories, django_capture_on_commit_callbacks
):
    item = item_create_draft(
        actor=manager, category=categories["metrology-verification"], details=details()
    )
    with django_capture_on_commit_callbacks(execute=True):
        item_publish(actor=manager, item=item)
    assert SearchDocument.objects.filter(kind="item", object_id=item.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        item_withdraw(actor=manager, item=item, reason="暂停受理")
    assert not SearchDocument.objects.filter(kind="item", object_id=item.pk).exists()


# --- the textarea formats ---------------------------------------------------------------


def test_materials_lines_parse_with_optional_note_and_link():
    materials, problems = parse_materials(
        "代办委托书\n\n营业执照 | 已认证企业免交\n申请表｜加盖公章｜/documents/templates/x/\n"
    )

    assert problems == []
    assert materials == (
        Material("代办委托书"),
        Material("营业执照", "已认证企业免交"),
        Material("申请表", "加盖公章", "/documents/templates/x/"),
    )


def test_bad_materials_lines_are_reported_by_their_text():
    materials, problems = parse_materials("甲 | 乙 | 丙 | 丁\n | 只有备注\n正常材料")

    assert materials == (Material("正常材料"),)
    assert len(problems) == 2
    assert "甲 | 乙 | 丙 | 丁" in problems[0]
    assert "只有备注" in problems[1]


def test_flow_lines_drop_typed_numbers_but_keep_leading_figures():
    assert parse_flow("1. 提交申请\n2、受理\n（3）审核\n\n3个工作日内答复\n") == (
        "提交申请",
        "受理",
        "审核",
        "3个工作日内答复",
    )


def test_stored_manuals_round_trip_through_the_textareas():
    stored = [
        {"name": "营业执照（已认证企业免交）", "required": False},
        {"name": "代办委托书", "required": True},
        {"name": "申请表", "note": "加盖公章", "template": "https://example.gov.cn/a.docx"},
    ]

    text = materials_text(stored)
    materials, problems = parse_materials(text)

    assert problems == []
    assert [m.name for m in materials] == ["营业执照（已认证企业免交）", "代办委托书", "申请表"]
    assert materials[0].note  # "if applicable", in the current language
    assert materials[2] == Material("申请表", "加盖公章", "https://example.gov.cn/a.docx")
    assert parse_flow(flow_text(["提交", "受理"])) == ("提交", "受理")
