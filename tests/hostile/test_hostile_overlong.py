"""Over-long input is refused, never cut short silently (issue 7 item 7): one
character over each limit on the main forms and API inputs gives a 400 that
names the field, and nothing is stored."""

from __future__ import annotations

import pytest

from onestop.complaints.models import CONTENT_MAX, REQUEST_MAX, Complaint
from onestop.orders import rules
from onestop.orders.models import Order, OrderMessage


def _json(client, url, body):
    return client.post(url, body, content_type="application/json")


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(
    ("field", "length"),
    [("description", rules.DESCRIPTION_MAX + 1), ("contact_name", rules.CONTACT_MAX + 1)],
)
def test_an_over_long_order_is_refused_by_the_api(client, offering, customer, field, length):
    client.force_login(customer)
    body = {
        "offering_id": offering.pk,
        "description": "需要校准两台压力表。",
        "contact_name": "张三",
    }
    body[field] = "长" * length

    response = _json(client, "/api/v1/orders/", body)

    assert response.status_code in (400, 422)
    assert not Order.objects.exists()


@pytest.mark.clause("WX 4.1.4")
def test_an_over_long_message_is_refused_by_page_and_api(client, order, customer):
    client.force_login(customer)
    too_long = "字" * (rules.MESSAGE_MAX + 1)

    page = client.post(f"/orders/{order.number}/messages/", {"body": too_long})
    api = _json(client, f"/api/v1/orders/{order.number}/messages", {"body": too_long})
    just_right = _json(
        client, f"/api/v1/orders/{order.number}/messages", {"body": "字" * rules.MESSAGE_MAX}
    )

    assert page.status_code == 400
    assert api.status_code in (400, 422)
    assert just_right.status_code == 201
    assert [len(m.body) for m in OrderMessage.objects.all()] == [rules.MESSAGE_MAX]


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.parametrize(
    ("field", "length"), [("content", CONTENT_MAX + 1), ("request", REQUEST_MAX + 1)]
)
def test_an_over_long_complaint_is_refused_by_the_api(client, institution, customer, field, length):
    client.force_login(customer)
    body = {
        "target": "institution",
        "type": "timeliness",
        "institution_id": institution.pk,
        "content": "承诺 5 个工作日出证书，已过 10 个工作日仍未拿到。",
        "request": "尽快出具证书。",
    }
    body[field] = "诉" * length

    response = _json(client, "/api/v1/complaints/", body)

    assert response.status_code in (400, 422)
    assert response.json().get("field", field) == field
    assert not Complaint.objects.exists()
