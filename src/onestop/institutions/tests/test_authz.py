"""Every institutions URL against the people who must not use it: anonymous
visitors, individual users, another enterprise, staff of another region,
center staff without a second factor. Refused means refused AND unchanged."""

import pytest

from onestop.institutions.models import Institution, InstitutionStatus, Offering, OfferingStatus

S = InstitutionStatus

PUBLIC = ["/institutions/", "/institutions/{institution}/", "/institutions/offerings/{offering}/"]

# (method, url): the enterprise's own pages.
MINE = [
    ("get", "/institutions/mine/apply/"),
    ("post", "/institutions/mine/apply/"),
    ("get", "/institutions/mine/qualifications/new/"),
    ("post", "/institutions/mine/qualifications/new/"),
    ("get", "/institutions/mine/offerings/new/"),
    ("post", "/institutions/mine/offerings/new/"),
    ("get", "/institutions/mine/offerings/{offering}/"),
    ("post", "/institutions/mine/offerings/{offering}/"),
    ("post", "/institutions/mine/offerings/{offering}/withdraw/"),
    ("post", "/institutions/mine/offerings/{offering}/publish/"),
]

# (method, url, data): the service center's pages.
WORKBENCH = [
    ("get", "/institutions/review/", {}),
    ("get", "/institutions/review/{institution}/", {}),
    ("post", "/institutions/review/{pending}/approve/", {}),
    ("post", "/institutions/review/{pending}/reject/", {"reason": "不合格"}),
    ("post", "/institutions/review/{institution}/status/", {"action": "suspend", "reason": "x"}),
]


@pytest.fixture
def world(active, offering, other_owner):
    """Our active institution and offering, plus another enterprise's pending application."""
    from onestop.institutions.tests.conftest import apply, qualification

    pending = apply(other_owner, quals=[qualification(number="PENDING-1")])
    # it is in Wuxi too, so Wuxi staff could decide it and Liuzhou staff could not
    Institution.objects.filter(pk=pending.pk).update(region=active.region)
    return {"institution": active.pk, "offering": offering.pk, "pending": pending.pk}


def _url(template, world):
    return template.format(**world)


def _unchanged(world):
    assert Institution.objects.get(pk=world["institution"]).status == S.ACTIVE
    assert Institution.objects.get(pk=world["pending"]).status == S.PENDING
    offering = Offering.objects.get(pk=world["offering"])
    assert offering.status == OfferingStatus.PUBLISHED
    assert offering.name == "压力表校准"
    assert Offering.objects.count() == 1


@pytest.mark.parametrize("url", PUBLIC)
def test_public_pages_open_without_login(client, world, url):
    assert client.get(_url(url, world)).status_code == 200


# --- the enterprise's own pages -------------------------------------------------------------


@pytest.mark.parametrize(("method", "url"), [*MINE, ("get", "/institutions/mine/")])
def test_anonymous_visitors_are_sent_to_log_in(client, world, method, url):
    response = getattr(client, method)(_url(url, world), {})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    _unchanged(world)


@pytest.mark.parametrize("who", ["individual", "other_owner", "wx_staff"])
@pytest.mark.parametrize(("method", "url"), MINE)
def test_outsiders_cannot_use_our_institution_pages(request, client, world, who, method, url):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = getattr(client, method)(_url(url, world), {"name": "篡改", "reason": "x"})

    if "{offering}" in url:
        expected = 404  # another's offering is not found
    elif who == "other_owner":
        expected = 409  # their own institution awaits review: nothing to apply, add or publish
    elif url.endswith("/apply/"):
        expected = 403  # they act for no enterprise
    else:
        expected = 404  # they have no institution
    assert response.status_code == expected
    _unchanged(world)


@pytest.mark.parametrize("who", ["individual", "other_owner", "wx_staff"])
def test_outsiders_do_not_see_our_institution_on_their_page(request, client, world, active, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/institutions/mine/")
    assert response.status_code == 200
    assert active.name not in response.content.decode()


# --- the workbench ----------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url", "data"), WORKBENCH)
def test_workbench_anonymous_go_to_the_workbench_login(client, world, method, url, data):
    response = getattr(client, method)(_url(url, world), data)
    assert response.status_code == 302
    assert response["Location"].startswith("/workbench/")
    _unchanged(world)


@pytest.mark.parametrize("who", ["individual", "owner"])
@pytest.mark.parametrize(("method", "url", "data"), WORKBENCH)
def test_workbench_refuses_non_staff(request, client, world, who, method, url, data):
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(_url(url, world), data).status_code == 403
    _unchanged(world)


@pytest.mark.parametrize(("method", "url", "data"), WORKBENCH)
def test_center_staff_without_a_second_factor_are_sent_to_it(
    client, world, wx_staff, method, url, data
):
    client.force_login(wx_staff)
    response = getattr(client, method)(_url(url, world), data)
    assert response.status_code == 302
    assert "/workbench/2fa/" in response["Location"]
    _unchanged(world)


@pytest.mark.parametrize(("method", "url", "data"), WORKBENCH[1:])
def test_staff_of_another_region_find_nothing(
    client, otp_login, world, lz_staff, method, url, data
):
    otp_login(lz_staff)
    assert getattr(client, method)(_url(url, world), data).status_code == 404
    _unchanged(world)


def test_staff_of_another_region_see_an_empty_queue(client, otp_login, world, lz_staff, active):
    otp_login(lz_staff)
    body = client.get("/institutions/review/").content.decode()
    assert f"/institutions/review/{world['pending']}/" not in body
    assert f"/institutions/review/{active.pk}/" not in body


@pytest.mark.parametrize(("method", "url", "data"), WORKBENCH)
def test_station_staff_cannot_review(
    client, otp_login, make_user, world, station, method, url, data
):
    from onestop.accounts.models import Role
    from onestop.accounts.services import role_grant

    worker = make_user(kind="staff")
    role_grant(
        actor=None, user=worker, role=Role.STATION_STAFF, region=station.region, scope=station
    )
    otp_login(worker)
    assert getattr(client, method)(_url(url, world), data).status_code == 403
    _unchanged(world)
