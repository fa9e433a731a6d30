"""Stored XSS in the browser (issue 7 item 7): Chromium opens the pages where
the planted payloads show and no script of theirs runs: no dialog opens and
the ``window.__xss`` flag every payload would set stays unset. Besides, the
Content-Security-Policy violations the e2e page fixture collects fail the
test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.test import Client

# The corpus and the planting helper live with the hostile-input tests; this
# browser check runs here so it shares the journeys' one Chromium (a second
# Playwright in the same worker would clash with it).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hostile"))
from hostile_xss_corpus import PAYLOADS
from test_hostile_xss import plant

from onestop.orders.tests import conftest as orders_fixtures

_pinned_clock = orders_fixtures._pinned_clock
buyer = orders_fixtures.buyer
buyer_enterprise = orders_fixtures.buyer_enterprise
category = orders_fixtures.category
cma = orders_fixtures.cma
customer = orders_fixtures.customer
institution = orders_fixtures.institution
lab_enterprise = orders_fixtures.lab_enterprise
lab_member = orders_fixtures.lab_member
lab_owner = orders_fixtures.lab_owner
offering = orders_fixtures.offering
order = orders_fixtures.order
place = orders_fixtures.place
station = orders_fixtures.station
wx_center = orders_fixtures.wx_center

pytestmark = [pytest.mark.e2e]


def _session_cookie(client: Client, base: str) -> dict[str, str]:
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}


@pytest.mark.clause("WX 4.1.4")
def test_no_planted_script_runs_in_the_browser(
    live_server,
    transactional_db,
    page,
    order,
    customer,
    institution,
    offering,
    wx_center,
    otp_login,
):
    user_client = Client()
    complaint = plant(order, customer, institution, offering, user_client)
    staff_client = Client()
    otp_login(wx_center, client=staff_client)
    base = live_server.url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    visits = [
        (user_client, f"/orders/{order.number}/"),
        (user_client, f"/complaints/{complaint.number}/"),
        (None, f"/institutions/{institution.pk}/"),
        (None, f"/institutions/offerings/{offering.pk}/"),
        (None, "/search/?q=" + PAYLOADS[3]),
        (staff_client, f"/orders/manage/{order.number}/"),
        (staff_client, f"/complaints/manage/{complaint.number}/"),
    ]
    ran = []
    for who, path in visits:
        page.context.clear_cookies()
        if who is not None:
            page.context.add_cookies([_session_cookie(who, base)])
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        page.wait_for_load_state("load")
        flag = page.evaluate("() => window.__xss")
        if flag is not None:
            ran.append(f"{path}: payload {flag}")

    assert ran == []
    assert dialogs == []
