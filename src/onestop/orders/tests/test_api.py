"""The orders API (/api/v1/orders/) and the public Open311-style status
(/api/v1/open311/): the user's own orders only; nothing personal in public."""

from __future__ import annotations

import json

import pytest

from onestop.demands.models import ContactMethod, Demand, DemandSource
from onestop.orders import services
from onestop.orders.models import Order, OrderStatus
from onestop.orders.tests.conftest import png

pytestmark = pytest.mark.django_db

S = OrderStatus


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


# --- the user's orders ----------------------------------------------------------------------


def test_the_api_needs_a_login(client, order):
    assert client.get("/api/v1/orders/").status_code == 401
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 401
    assert post(client, "/api/v1/orders/", {}).status_code == 401
    assert post(client, f"/api/v1/orders/{order.number}/actions/cancel", {}).status_code == 401


@pytest.mark.clause("WX 5.1d")
@pytest.mark.clause("HM 4.3.4.1")
def test_my_orders_with_timeline_and_messages(client, order, customer, lab_owner, stranger):
    services.order_accept(actor=lab_owner, order=order)
    services.order_message_post(actor=lab_owner, order=order, body="请送样到实验室")
    services.order_attach(actor=lab_owner, order=order, kind="quote", upload=png("报价单.png"))
    place_other = services.order_place(
        user=stranger,
        offering=order.offering,
        description="另一位用户的订单",
        contact_name="孙先生",
    )
    client.force_login(customer)

    listed = client.get("/api/v1/orders/").json()
    assert listed["count"] == 1
    assert [o["number"] for o in listed["results"]] == [order.number]
    assert place_other.number not in json.dumps(listed)

    detail = client.get(f"/api/v1/orders/{order.number}").json()
    assert detail["status"] == "accepted"
    assert detail["expected_completion"] == "2026-11-25"
    assert [(e["from_status"], e["to_status"], e["party"]) for e in detail["timeline"]] == [
        ("", "submitted", "user"),
        ("submitted", "accepted", "institution"),
    ]
    assert detail["timeline"][1]["actor"] == "检测所王经理"
    assert [m["body"] for m in detail["messages"]] == ["请送样到实验室"]
    assert detail["attachments"][0]["kind"] == "quote"
    assert detail["attachments"][0]["url"].startswith("/documents/")
    assert detail["actions"] == ["cancel"]


def test_another_users_order_is_404(client, order, stranger):
    client.force_login(stranger)
    assert client.get(f"/api/v1/orders/{order.number}").status_code == 404
    assert (
        post(client, f"/api/v1/orders/{order.number}/messages", {"body": "hi"}).status_code == 404
    )
    assert (
        post(client, f"/api/v1/orders/{order.number}/actions/cancel", {"note": ""}).status_code
        == 404
    )
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    assert not order.messages.exists()


@pytest.mark.clause("WX A")
def test_placing_an_order_through_the_api(client, offering, customer, unverified):
    client.force_login(customer)
    created = post(
        client,
        "/api/v1/orders/",
        {"offering_id": offering.pk, "description": "校准压力表 2 只", "contact_name": "赵先生"},
    )
    assert created.status_code == 201
    body = created.json()
    assert body["number"] == Order.objects.get().number
    assert body["acceptance_due_at"] is not None

    client.force_login(unverified)
    refused = post(
        client,
        "/api/v1/orders/",
        {"offering_id": offering.pk, "description": "校准压力表 2 只", "contact_name": "钱"},
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "verification_required"
    assert Order.objects.count() == 1


def test_the_api_refuses_what_cannot_be_ordered(client, offering, customer, institution):
    institution.status = "suspended"
    institution.save()
    client.force_login(customer)
    refused = post(
        client,
        "/api/v1/orders/",
        {"offering_id": offering.pk, "description": "校准压力表 2 只", "contact_name": "赵"},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_orderable"
    assert not Order.objects.exists()


def test_messages_and_the_users_moves_through_the_api(client, order, customer, lab_owner):
    client.force_login(customer)
    sent = post(client, f"/api/v1/orders/{order.number}/messages", {"body": "何时送样？"})
    assert sent.status_code == 201
    assert sent.json()["body"] == "何时送样？"
    assert post(client, f"/api/v1/orders/{order.number}/messages", {"body": ""}).status_code == 400

    # Institution moves are not the user's; unknown moves are refused.
    for action in ("accept", "deliver", "explode"):
        response = post(client, f"/api/v1/orders/{order.number}/actions/{action}", {})
        assert response.status_code == 400
    wrong_state = post(client, f"/api/v1/orders/{order.number}/actions/complete", {})
    assert wrong_state.status_code == 409
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED

    cancelled = post(client, f"/api/v1/orders/{order.number}/actions/cancel", {"note": "不要了"})
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"


def test_the_institution_cannot_act_as_the_user_through_the_api(client, order, lab_owner):
    client.force_login(lab_owner)
    response = post(client, f"/api/v1/orders/{order.number}/actions/cancel", {"note": "x"})
    assert response.status_code == 404
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED


# --- Open311 ---------------------------------------------------------------------------------


@pytest.fixture
def demand(customer, category, regions, station):
    return Demand.objects.create(
        number="XQ2026111800007",
        requester=customer,
        contact_name="赵先生",
        contact_phone="13912345678",
        contact_method=ContactMethod.PHONE,
        category=category,
        title="赵先生家的压力表",
        description="联系电话 13912345678，地址江阴市某小区",
        region=regions["320281"],
        source=DemandSource.ONLINE,
        station=station,
    )


@pytest.mark.clause("WX 5.1d")
def test_open311_gives_public_status_without_login_or_personal_data(
    client, order, demand, customer, lab_owner
):
    services.order_message_post(actor=customer, order=order, body="我的手机 13912345678")
    one = client.get(f"/api/v1/open311/requests/{order.number}")
    assert one.status_code == 200
    [request] = one.json()
    assert request["service_request_id"] == order.number
    assert (request["status"], request["detailed_status"]) == ("open", "submitted")
    assert (request["service_code"], request["service_name"]) == (
        "testing-services",
        "检验检测服务",
    )
    assert request["agency_responsible"] == "江阴市示范计量检测所"
    assert request["expected_datetime"] == "2026-11-20T00:00:00+08:00"  # acceptance due

    both = client.get(f"/api/v1/open311/requests?numbers={demand.number},{order.number}")
    assert [r["service_request_id"] for r in both.json()] == [demand.number, order.number]
    assert both.json()[0]["agency_responsible"] == "江阴市市场监督管理局服务站"

    text = both.content.decode("unicode_escape") + one.content.decode("unicode_escape")
    for personal in (
        "赵先生",
        "13912345678",
        "江阴市某小区",
        customer.username,
        order.description,
        order.contact_name,
        demand.title,
    ):
        assert personal not in text


def test_open311_after_acceptance_expects_the_completion_day(client, order, lab_owner):
    services.order_accept(actor=lab_owner, order=order)
    [request] = client.get(f"/api/v1/open311/requests/{order.number}").json()
    assert request["detailed_status"] == "accepted"
    assert request["expected_datetime"] == "2026-11-26T00:00:00+08:00"  # end of 25 Nov


def test_open311_bad_and_unknown_numbers(client, order):
    assert client.get("/api/v1/open311/requests/DD2099010100001").status_code == 404
    assert client.get("/api/v1/open311/requests/1;DROP").status_code == 400
    assert client.get("/api/v1/open311/requests").status_code == 400
    many = ",".join(f"DD20261118{n:05d}" for n in range(21))
    assert client.get(f"/api/v1/open311/requests?numbers={many}").status_code == 400
    found = client.get(
        f"/api/v1/open311/requests?service_request_id={order.number},DD2099010100001"
    )
    assert [r["service_request_id"] for r in found.json()] == [order.number]


def test_open311_query_count_is_constant(client, place, customer, django_assert_num_queries):
    orders = [place(customer) for _ in range(3)]
    numbers = ",".join(o.number for o in orders)
    client.get(f"/api/v1/open311/requests?numbers={numbers}")
    with django_assert_num_queries(2):  # orders, their clocks
        client.get(f"/api/v1/open311/requests?numbers={numbers}")
    orders += [place(customer) for _ in range(10)]
    numbers = ",".join(o.number for o in orders)
    with django_assert_num_queries(2):
        assert len(client.get(f"/api/v1/open311/requests?numbers={numbers}").json()) == 13
