import json
from importlib import resources

import pytest

from onestop.audit.models import AuditEvent
from onestop.catalog.models import ItemStatus, ServiceCategory, ServiceItem
from onestop.catalog.services import catalog_load_bundled, item_publish, item_withdraw
from onestop.core.errors import InvalidInput, InvalidTransition, PermissionDeniedError

BUNDLED = json.loads(
    resources.files("onestop.catalog").joinpath("data/catalog.json").read_text("utf-8")
)
SERVICE_CLAUSES = [entry["clause"] for entry in BUNDLED["items"]]
LZ_TWELVE = [
    "计量",
    "标准化",
    "认证认可",
    "检验检测",
    "质量管理",
    "特种设备",
    "品牌培育",
    "知识产权",
    "市场主体准入",
    "食品安全",
    "企业培训",
    "其他",
]


@pytest.fixture
def catalog(db):
    catalog_load_bundled()
    return ServiceItem.objects.all()


@pytest.mark.clause("LZ 6.4")
def test_the_top_level_is_the_twelve_lz_categories_in_order(catalog):
    tops = list(ServiceCategory.objects.filter(parent__isnull=True).order_by("position"))

    assert [c.name for c in tops] == LZ_TWELVE
    assert all(c.children.exists() for c in tops)


@pytest.mark.clause(*SERVICE_CLAUSES)
def test_every_service_clause_has_a_published_entry_reachable_from_its_category_page(
    client, catalog
):
    pages = {}
    for entry in BUNDLED["items"]:
        item = ServiceItem.objects.get(name=entry["name"])
        assert item.status == ItemStatus.PUBLISHED
        assert entry["clause"] in item.clauses
        code = item.category.code
        pages.setdefault(code, client.get(f"/services/c/{code}/").content.decode())
        assert f'href="/services/items/{item.pk}/"' in pages[code], entry["clause"]
    assert len(SERVICE_CLAUSES) == 76


def test_loading_twice_adds_nothing(catalog):
    count = ServiceItem.objects.count()

    assert catalog_load_bundled() == 0
    assert ServiceItem.objects.count() == count


@pytest.mark.clause("WX 4.1.1")
def test_the_manual_shows_conditions_materials_flow_limit_and_fees(client, catalog):
    item = ServiceItem.objects.get(name="强制检定计量器具登记备案与申请")

    body = client.get(f"/services/items/{item.pk}/").content.decode()

    for text in [
        "受理条件",
        "办事材料",
        "服务流程",
        "办理时限",
        "收费",
        "代办委托书",
        "5个工作日",
        "WX 6.1.3",
    ]:
        assert text in body, text


@pytest.mark.clause("WX 4.1.1")
def test_publishing_keeps_every_version_and_the_public_sees_the_published_one(
    client, catalog, make_user, regions
):
    staff = make_user("center_staff", "450200")
    item = ServiceItem.objects.get(name="标准信息查询与有效性确认")
    item.name = "标准信息查询与有效性确认（草稿修改）"
    item.save()

    before = client.get(f"/services/items/{item.pk}/").content.decode()
    item_publish(actor=staff, item=item)
    after = client.get(f"/services/items/{item.pk}/").content.decode()

    assert "草稿修改" not in before  # a draft edit is not public until published
    assert "草稿修改" in after
    assert list(item.versions.values_list("number", flat=True)) == [2, 1]
    assert AuditEvent.objects.filter(action="catalog.publish", actor_id=staff.pk).exists()


def test_withdrawn_items_leave_the_public_catalog(client, catalog, make_user, regions):
    staff = make_user("center_staff", "450200")
    item = ServiceItem.objects.get(name="商标咨询")

    item_withdraw(actor=staff, item=item, reason="并入商标注册咨询")

    assert client.get(f"/services/items/{item.pk}/").status_code == 404
    with pytest.raises(InvalidTransition):
        item_withdraw(actor=staff, item=item, reason="again")


def test_only_catalog_managers_publish_or_withdraw(catalog, make_user, regions):
    item = ServiceItem.objects.first()

    for role in ["station_staff", "authority", "enterprise"]:
        user = make_user(role, "450200")
        with pytest.raises(PermissionDeniedError):
            item_publish(actor=user, item=item)
        with pytest.raises(PermissionDeniedError):
            item_withdraw(actor=user, item=item, reason="x")


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", " "), ("flow", []), ("time_limit_working_days", 0), ("channel", "pigeon")],
)
def test_an_incomplete_manual_cannot_be_published(catalog, make_user, regions, field, value):
    staff = make_user("center_staff", "450200")
    item = ServiceItem.objects.first()
    setattr(item, field, value)
    item.save()

    with pytest.raises(InvalidInput):
        item_publish(actor=staff, item=item)
    assert item.versions.count() == 1


def test_pages_have_constant_query_counts(client, catalog, django_assert_num_queries):
    # each page: its own two queries, plus the layout's current-region lookup
    with django_assert_num_queries(3):
        client.get("/services/")
    with django_assert_num_queries(3):
        client.get("/services/c/metrology/")  # 15 items over three sub-categories
    with django_assert_num_queries(3):
        client.get("/services/c/metrology-instruments/")
    item = ServiceItem.objects.first()
    with django_assert_num_queries(3):
        client.get(f"/services/items/{item.pk}/")


@pytest.mark.parametrize(
    "url", ["/services/c/no-such-thing/", "/services/items/999999/", "/services/c/%3Cscript%3E/"]
)
def test_unknown_categories_and_items_are_404(client, catalog, url):
    response = client.get(url)

    assert response.status_code == 404


def test_draft_items_are_not_public(client, catalog):
    category = ServiceCategory.objects.get(code="metrology-verification")
    draft = ServiceItem.objects.create(
        category=category,
        name="未发布的事项",
        summary="s",
        conditions="c",
        flow=["a"],
        fees="免费",
        channel="online",
        handled_by="x",
    )

    assert client.get(f"/services/items/{draft.pk}/").status_code == 404
    assert "未发布的事项" not in client.get("/services/c/metrology/").content.decode()
