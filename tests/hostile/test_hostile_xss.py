"""Stored and reflected XSS (issue 7 item 7, WX 4.1.4): payloads typed into
the free-text fields users and staff submit come back escaped on every page
that shows them. The browser side (no script runs) is
test_hostile_xss_browser.py."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils.html import escape
from hostile_xss_corpus import PAYLOADS, SHORT, raw_leaks

from onestop.complaints.models import ComplaintType, Target
from onestop.complaints.services import complaint_file

JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def plant(order, customer, institution, offering, client):
    """Store the corpus in the fields users and staff fill in; return the complaint."""
    customer.display_name = SHORT[0]
    customer.save(update_fields=["display_name"])
    order.description = "\n".join(PAYLOADS)
    order.contact_name = SHORT[1]
    order.save(update_fields=["description", "contact_name"])
    institution.name = PAYLOADS[3]
    institution.description = "\n".join(PAYLOADS)
    institution.address = PAYLOADS[6]
    institution.save(update_fields=["name", "description", "address"])
    offering.name = PAYLOADS[2]
    offering.scope = "\n".join(PAYLOADS)
    offering.price_note = PAYLOADS[9][:200]
    offering.save(update_fields=["name", "scope", "price_note"])
    # Messages go through the page, as a user sends them.
    client.force_login(customer)
    for payload in PAYLOADS[:6]:
        sent = client.post(f"/orders/{order.number}/messages/", {"body": payload})
        assert sent.status_code == 302
    return complaint_file(
        user=customer,
        target=Target.INSTITUTION,
        institution_id=institution.pk,
        complaint_type=ComplaintType.TIMELINESS,
        content="\n".join(PAYLOADS),
        request=PAYLOADS[1],
        order=order,
    )


def check(response, *, shows: list[str] = ()):
    html = response.content.decode()
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert raw_leaks(html, PAYLOADS + SHORT) == []
    assert not JS_URL.search(html)
    for payload in shows:
        assert escape(payload) in html or payload in html


@pytest.mark.clause("WX 4.1.4")
def test_stored_payloads_come_back_escaped_on_every_page(
    client, order, customer, institution, offering, lab_member, wx_center, otp_login
):
    complaint = plant(order, customer, institution, offering, client)

    check(client.get(f"/orders/{order.number}/"), shows=[PAYLOADS[0], PAYLOADS[17]])
    check(client.get("/orders/mine/"))
    check(client.get(f"/complaints/{complaint.number}/"), shows=[PAYLOADS[1]])
    check(client.get("/complaints/mine/"))
    check(client.get(f"/institutions/{institution.pk}/"), shows=[PAYLOADS[3]])
    check(client.get(f"/institutions/offerings/{offering.pk}/"), shows=[PAYLOADS[2]])

    institution_side = Client()
    institution_side.force_login(lab_member)
    check(institution_side.get("/orders/institution/"))
    check(institution_side.get(f"/orders/institution/{order.number}/"), shows=[PAYLOADS[0]])

    staff = Client()
    otp_login(wx_center, client=staff)
    check(staff.get("/orders/manage/"))
    check(staff.get(f"/orders/manage/{order.number}/"), shows=[PAYLOADS[0]])
    check(staff.get("/complaints/manage/"))
    check(staff.get(f"/complaints/manage/{complaint.number}/"), shows=[PAYLOADS[1]])


@pytest.mark.clause("WX 4.1.4")
@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_search_query_is_echoed_back_escaped(client, payload):
    page = client.get("/search/", {"q": payload})
    api = client.get("/api/v1/search/", {"q": payload})

    assert page.status_code in (200, 400)
    html = page.content.decode()
    assert raw_leaks(html, PAYLOADS) == []
    assert not JS_URL.search(html)
    assert api.status_code in (200, 400)
    for hit in api.json().get("results", []):
        assert raw_leaks(hit["title_html"] + hit["snippet_html"], PAYLOADS) == []
