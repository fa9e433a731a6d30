"""Stored XSS in the browser (issue 7 item 7): Chromium opens the pages where
the planted payloads show and no script of theirs runs: no dialog opens and
the ``window.__xss`` flag every payload would set stays unset. Besides, the
Content-Security-Policy violations the e2e page fixture collects fail the
test."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.test import Client
from hostile_xss_corpus import PAYLOADS
from test_hostile_xss import plant

_E2E = Path(__file__).resolve().parent.parent / "e2e" / "conftest.py"
_spec = importlib.util.spec_from_file_location("hostile_e2e_fixtures", _E2E)
assert _spec is not None
assert _spec.loader is not None
_e2e = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_e2e)
browser = _e2e.browser
page = _e2e.page

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
