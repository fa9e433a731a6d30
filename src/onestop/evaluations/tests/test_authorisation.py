"""Every page: who may open it, who may not; query counts pinned."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop.evaluations import services
from onestop.evaluations.models import RectificationCase

from .conftest import FIVE_GOOD, HM_GOOD, make_order

pytestmark = pytest.mark.django_db

STAFF_URLS = ["evaluations:manage_list", "evaluations:case_queue"]


@pytest.fixture
def case(world) -> RectificationCase:
    invitation = services.evaluation_invite(order=world.hm_order)
    evaluation = services.evaluation_submit(
        token=services.invitation_token(invitation),
        answers={**HM_GOOD, "institution_4": "dissatisfied"},
        comment="报告晚了三天",
    )
    return evaluation.rectification


@pytest.mark.parametrize("name", STAFF_URLS)
def test_staff_pages_refuse_anonymous_and_users(client, world, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(world.hm_person)
    assert client.get(url).status_code in (302, 403)


def test_case_page_refuses_anonymous_users_and_other_regions(client, world, case, otp_login):
    url = reverse("evaluations:case", kwargs={"pk": case.pk})
    assert client.get(url).status_code == 302
    client.force_login(world.hm_person)
    assert client.get(url).status_code in (302, 403)
    otp_login(world.wx_center)
    assert client.get(url).status_code == 404
    response = client.post(url, {"method": "phone", "outcome": "越权", "user_confirmed": "on"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "open"


@pytest.mark.clause("WX 7.3")
def test_center_lists_are_region_scoped(client, world, case, otp_login):
    services.evaluation_submit(
        token=services.invitation_token(services.evaluation_invite(order=world.wx_order)),
        answers=FIVE_GOOD,
    )
    otp_login(world.wx_center)
    page = client.get(reverse("evaluations:manage_list")).content.decode()
    assert world.wx_order.number in page
    assert world.hm_order.number not in page
    queue = client.get(reverse("evaluations:case_queue")).content.decode()
    assert world.hm_order.number not in queue
    otp_login(world.hm_center)
    queue = client.get(reverse("evaluations:case_queue")).content.decode()
    assert world.hm_order.number in queue


def test_institution_list_needs_login_and_an_institution(client, world, case):
    url = reverse("evaluations:institution_list")
    response = client.get(url)
    assert response.status_code == 302
    client.force_login(world.user)
    assert client.get(url).status_code == 404
    client.force_login(world.wx_person)
    page = client.get(url)
    assert page.status_code == 200
    assert world.hm_order.number not in page.content.decode()


def test_invite_page_refuses_other_methods(client, world):
    invitation = services.evaluation_invite(order=world.hm_order)
    assert client.put(services.invitation_url(invitation)).status_code == 405


def _more_evaluations(world, count: int) -> None:
    for _ in range(count):
        order = make_order(world.user, world.hm_offering, region=world.hami)
        services.evaluation_submit(
            token=services.invitation_token(services.evaluation_invite(order=order)),
            answers={**HM_GOOD, "institution_2": "dissatisfied"},
        )


def test_query_counts_do_not_grow(client, world, case, otp_login, django_assert_max_num_queries):
    otp_login(world.hm_center)
    client.force_login(world.hm_person)
    institution_url = reverse("evaluations:institution_list")
    counts = {}
    for rows in ("few", "many"):
        if rows == "many":
            _more_evaluations(world, 5)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(institution_url).status_code == 200
        counts[rows] = len(captured)
    assert counts["few"] == counts["many"]
    otp_login(world.hm_center)
    for name in STAFF_URLS:
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(15):
        url = reverse("evaluations:case", kwargs={"pk": case.pk})
        assert client.get(url).status_code == 200
