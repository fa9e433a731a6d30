from __future__ import annotations

import json
from importlib import resources

import pytest

from onestop.catalog.models import ServiceCategory, ServiceItem
from onestop.catalog.services import (
    ItemDetails,
    Material,
    catalog_load_bundled,
    item_create_draft,
    item_publish,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Stored PDF manuals go to this test's own directory."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def bundled(db):
    """The bundled catalog: twelve categories, 76 published items."""
    catalog_load_bundled()
    return ServiceItem.objects.all()


@pytest.fixture
def categories(db):
    """The bundled category tree alone (no items), keyed by code."""
    tree = json.loads(
        resources.files("onestop.catalog").joinpath("data/catalog.json").read_text("utf-8")
    )["categories"]
    for position, node in enumerate(tree):
        top = ServiceCategory.objects.create(
            code=node["code"], name=node["name"], position=position
        )
        for sub_position, child in enumerate(node["children"]):
            ServiceCategory.objects.create(
                code=child["code"], name=child["name"], position=sub_position, parent=top
            )
    return {c.code: c for c in ServiceCategory.objects.all()}


@pytest.fixture
def manager(make_user, regions):
    return make_user("center_staff", "320200", kind="staff", display_name="周文清")


def details(**overrides) -> ItemDetails:
    values = {
        "name": "计量器具强制检定申请",
        "summary": "在用强制检定计量器具的检定申请。",
        "conditions": "辖区内使用强制检定计量器具的企业。",
        "materials": (
            Material("计量器具登记表", "加盖公章", "/documents/templates/instrument-register/"),
            Material("营业执照", "已认证企业免交"),
        ),
        "flow": ("在线提交申请", "服务中心受理", "检定机构上门或送检", "出具检定证书"),
        "time_limit_working_days": 5,
        "fees": "按物价部门核定标准收取",
        "channel": "both",
        "handled_by": "市计量测试中心",
    }
    values.update(overrides)
    return ItemDetails(**values)


@pytest.fixture
def publish_new(manager, categories):
    """publish_new(**details) -> a newly created and published item."""

    def make(category: str = "metrology-verification", **overrides) -> ServiceItem:
        item = item_create_draft(
            actor=manager, category=categories[category], details=details(**overrides)
        )
        return item_publish(actor=manager, item=item)

    return make
