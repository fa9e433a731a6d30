"""Archive pages: who may open each URL, the purpose in front of every staff
opening, the enterprise's access log, query counts pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F
from django.urls import reverse

from onestop.archive.models import ArchiveAccess
from onestop.audit.models import AuditEvent

from .conftest import records

pytestmark = pytest.mark.django_db

MEMBER_URLS = ["archive:mine", "archive:log", "archive:pdf"]
STAFF_URLS = ["archive:manage_detail", "archive:manage_pdf"]


def staff_url(name: str, world) -> str:
    return reverse(name, kwargs={"enterprise_id": world.acme.pk})


def any_url(name: str, world) -> str:
    return staff_url(name, world) if name in STAFF_URLS else reverse(name)


def open_archive(client, world, purpose: str = "complaint", detail: str = "TS-2026-000001"):
    """POST the purpose form; returns the response (a redirect to the opened archive)."""
    return client.post(
        staff_url("archive:manage_detail", world), {"purpose": purpose, "detail": detail}
    )


# --- the authorisation matrix ----------------------------------------------------------


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("name", [*MEMBER_URLS, "archive:manage_search", *STAFF_URLS])
def test_visitors_are_sent_to_log_in(client, world, name):
    response = client.get(any_url(name, world))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("name", MEMBER_URLS)
def test_another_enterprise_and_non_members_get_not_found(client, world, make_user, name):
    url = f"{reverse(name)}?enterprise={world.acme.pk}"
    for outsider in (world.neighbour_owner, world.inst_person, make_user("individual", "320281")):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    client.force_login(world.owner)
    assert client.get(f"{reverse(name)}?enterprise=abc").status_code == 404
    assert not ArchiveAccess.objects.exists()


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("name", ["archive:manage_search", *STAFF_URLS])
def test_staff_without_the_archive_permission_are_refused(client, world, otp_login, name):
    url = any_url(name, world)
    for person in (world.institution_staff, world.expert_user, world.authority):
        otp_login(person)
        assert client.get(url).status_code == 403, person
    # enterprise people and institution people are not staff at all
    for person in (world.owner, world.inst_person):
        client.force_login(person)
        assert client.get(url).status_code == 403, person
    assert not ArchiveAccess.objects.exists()


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("name", STAFF_URLS)
def test_station_staff_of_another_region_get_not_found_and_the_attempt_is_audited(
    client, world, otp_login, name
):
    otp_login(world.hm_station_staff)
    assert client.get(staff_url(name, world)).status_code == 404
    assert open_archive(client, world).status_code == 404
    refused = AuditEvent.objects.filter(
        action="archive.refused", actor_id=world.hm_station_staff.pk
    )
    assert refused.count() >= 1
    assert refused.first().object_id == str(world.acme.pk)
    assert not ArchiveAccess.objects.exists()
    # a made-up id answers the same and is audited too
    missing = reverse(name, kwargs={"enterprise_id": 987_654})
    assert client.get(missing).status_code == 404
    assert AuditEvent.objects.filter(action="archive.refused", object_id="").exists()


@pytest.mark.clause("HM 6.3")
@pytest.mark.parametrize("person", ["wx_center", "station_staff"])
def test_staff_of_the_region_read_only_after_stating_a_purpose(client, world, otp_login, person):
    mine = records(world, world.acme, world.owner, tag="澄星")
    otp_login(getattr(world, person))
    url = staff_url("archive:manage_detail", world)
    # the first answer is the purpose form, without any record
    form = client.get(url)
    assert form.status_code == 200
    assert 'id="purpose-form"' in form.content.decode()
    assert mine.order not in form.content.decode()
    assert not ArchiveAccess.objects.exists()
    # a bad purpose is refused and nothing is stored
    assert open_archive(client, world, purpose="other", detail="").status_code == 400
    assert not ArchiveAccess.objects.exists()
    # with a purpose the archive opens
    response = open_archive(client, world)
    assert response.status_code == 302
    opening = ArchiveAccess.objects.get()
    assert response["Location"].endswith(f"?opening={opening.pk}")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"
    html = page.content.decode()
    for text in (mine.order, mine.demand, mine.complaint, mine.sample):
        assert text in html
    assert AuditEvent.objects.filter(action="archive.open").count() == 1


@pytest.mark.clause("HM 6.3")
def test_an_opening_is_personal_and_expires(client, world, otp_login):
    otp_login(world.wx_center)
    location = open_archive(client, world)["Location"]
    assert 'id="opening"' in client.get(location).content.decode()
    # another member of staff cannot use it
    otp_login(world.station_staff)
    assert 'id="purpose-form"' in client.get(location).content.decode()
    # and it expires
    otp_login(world.wx_center)
    ArchiveAccess.objects.update(at=F("at") - dt.timedelta(minutes=31))
    assert 'id="purpose-form"' in client.get(location).content.decode()


@pytest.mark.clause("HM 6.3")
def test_staff_search_finds_only_enterprises_of_their_regions(client, world, otp_login):
    url = reverse("archive:manage_search")
    otp_login(world.station_staff)
    assert world.acme.name in client.get(url, {"q": "澄星"}).content.decode()
    assert world.acme.name in client.get(url, {"q": "91320281ma20acme"}).content.decode()
    assert world.acme.name not in client.get(url).content.decode()  # nothing without a search
    otp_login(world.hm_station_staff)
    assert world.acme.name not in client.get(url, {"q": "澄星"}).content.decode()


# --- the enterprise's own archive and its access log ------------------------------------


@pytest.mark.clause("HM 6.1")
@pytest.mark.clause("HM 6.3")
def test_members_read_their_archive_without_it_being_logged(client, world):
    mine = records(world, world.acme, world.owner, tag="澄星")
    theirs = records(world, world.neighbour, world.neighbour_owner, tag="邻家")
    client.force_login(world.member)
    page = client.get(reverse("archive:mine"))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.order in html
    assert mine.complaint in html
    assert mine.former_name in html
    assert "138****8021" in html
    assert "13800138021" not in html
    for text in theirs.all():
        assert text not in html
    assert not ArchiveAccess.objects.exists()
    log = client.get(reverse("archive:log")).content.decode()
    assert 'data-kind="open"' not in log


@pytest.mark.clause("HM 6.3")
def test_a_staff_opening_appears_in_the_enterprise_log_without_phone_numbers(
    client, world, otp_login
):
    world.station_staff.mobile = "13900139000"
    world.station_staff.save()
    otp_login(world.station_staff)
    open_archive(client, world, purpose="follow_up", detail="DD2026111800001 回访")
    client.force_login(world.owner)
    page = client.get(reverse("archive:log"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-kind="open" data-member="0"' in html
    assert "服务站周磊 (江阴市市场监督管理局服务站 / " in html
    assert "DD2026111800001 回访" in html
    assert "13900139000" not in html
    assert "139****9000" not in html
    # the neighbour's log does not show it
    client.force_login(world.neighbour_owner)
    assert "服务站周磊" not in client.get(reverse("archive:log")).content.decode()


@pytest.mark.clause("HM 6.3")
def test_a_member_of_two_enterprises_chooses_among_their_own(client, world):
    from onestop.enterprises.models import Membership

    Membership.objects.create(enterprise=world.neighbour, user=world.member, role="member")
    client.force_login(world.member)
    first = client.get(reverse("archive:mine")).content.decode()
    assert 'id="enterprise-choice"' in first
    assert f'<dd id="enterprise-name">{world.acme.name}</dd>' in first
    second = client.get(reverse("archive:mine"), {"enterprise": world.neighbour.pk})
    assert f'<dd id="enterprise-name">{world.neighbour.name}</dd>' in second.content.decode()
    log = client.get(reverse("archive:log"), {"enterprise": world.neighbour.pk})
    assert log.status_code == 200


# --- query counts ----------------------------------------------------------------------


@pytest.mark.clause("HM 6.1")
def test_member_pages_have_pinned_query_counts(client, world, django_assert_num_queries):
    records(world, world.acme, world.owner, tag="一")
    ArchiveAccess.objects.create(
        enterprise=world.acme, user=world.wx_center, kind="open", purpose="order"
    )
    client.force_login(world.owner)
    client.get(reverse("archive:mine"))  # the session's first activity stamp is written once
    # session, user, memberships, 13 for the archive, the chosen region of the site header
    with django_assert_num_queries(17):
        assert client.get(reverse("archive:mine")).status_code == 200
    # session, user, memberships, count, page, region
    with django_assert_num_queries(6):
        assert client.get(reverse("archive:log")).status_code == 200
    for index in range(3):
        records(world, world.acme, world.member, tag=f"再{index}")
        ArchiveAccess.objects.create(
            enterprise=world.acme, user=world.wx_center, kind="open", purpose="order"
        )
    with django_assert_num_queries(17):
        assert client.get(reverse("archive:mine")).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("archive:log")).status_code == 200


@pytest.mark.clause("HM 6.1")
def test_staff_pages_have_pinned_query_counts(client, world, otp_login, django_assert_num_queries):
    from onestop.fieldwork.tests.conftest import enterprise_in

    records(world, world.acme, world.owner, tag="一")
    otp_login(world.wx_center)
    search = reverse("archive:manage_search")
    detail = staff_url("archive:manage_detail", world)
    location = open_archive(client, world)["Location"]
    for grown in (False, True):
        if grown:
            for index in range(3):
                records(world, world.acme, world.member, tag=f"再{index}")
                enterprise_in(
                    world.region, name=f"江阴测试企业{index}", uscc=f"91320281MA20TS{index}00"
                )
        # session, user, 2FA device, role assignments, count, page, region
        with django_assert_num_queries(7):
            assert client.get(search, {"q": "江阴"}).status_code == 200
        # ... the enterprise in scope, no opening given, region
        with django_assert_num_queries(6):
            assert client.get(detail).status_code == 200
        # ... the enterprise in scope, the opening, 13 for the archive, region
        with django_assert_num_queries(20):
            assert client.get(location).status_code == 200
