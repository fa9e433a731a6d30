"""The logged-in user's hub: links to their demands, orders, appointments,
samples, and their institution's work when they act for one."""

from __future__ import annotations

import pytest

from onestop.enterprises.models import MemberRole, Membership
from onestop.search.tests.conftest import institution

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_log_in(client):
    response = client.get("/my/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_sees_their_own_links_and_no_institution(client, make_user, regions):
    client.force_login(make_user("individual", "450200"))
    page = client.get("/my/").content.decode()
    assert 'href="/demands/mine/"' in page
    assert 'href="/fieldwork/samples/"' in page
    assert 'href="/institutions/mine/"' not in page


def test_institution_people_also_see_their_institutions_work(
    client, make_user, regions, django_assert_max_num_queries
):
    owner = make_user("enterprise", "450200", kind="enterprise")
    lab = institution("柳州市检验检测中心", "91450200MA5K6L7N8N", "testing_lab", regions["450200"])
    Membership.objects.create(enterprise=lab.enterprise, user=owner, role=MemberRole.OWNER)
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        page = client.get("/my/").content.decode()
    assert "柳州市检验检测中心" in page
    assert 'href="/fieldwork/institution/samples/"' in page
