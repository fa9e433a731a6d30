"""The public institutions API, mounted here on an API like the site's one
(login required by default, domain errors as JSON), so the test proves the
operations opt out of login themselves."""

import datetime as dt

import pytest
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth
from ninja.testing import TestClient

from onestop.core.errors import DomainError
from onestop.institutions import services
from onestop.institutions.api import router
from onestop.institutions.models import Qualification
from onestop.institutions.tests.conftest import today


@pytest.fixture(scope="module")
def api():
    site_like = NinjaAPI(urls_namespace="institutions-api-test", auth=django_auth)

    @site_like.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return site_like.create_response(
            request, {"code": exc.code, "detail": str(exc.message)}, status=exc.status
        )

    site_like.add_router("/institutions/", router)
    return TestClient(site_like)


def test_the_list_is_public_filtered_and_paginated(api, active, other_active):
    everything = api.get("/institutions/")
    wuxi = api.get("/institutions/?region=320200")
    labs = api.get("/institutions/?kind=metrology")

    assert everything.status_code == 200
    assert {row["id"] for row in everything.json()["results"]} == {active.pk, other_active.pk}
    assert [row["id"] for row in wuxi.json()["results"]] == [active.pk]
    assert wuxi.json()["count"] == 1
    assert labs.json()["results"] == []


def test_an_unknown_region_is_a_json_404(api, active):
    response = api.get("/institutions/?region=999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_region"


def test_one_institution_with_its_offerings_and_notices(api, active, offering, wx_staff):
    services.institution_suspend(actor=wx_staff, institution=active, reason="整改")
    services.institution_reinstate(actor=wx_staff, institution=active, reason="整改完成")

    body = api.get(f"/institutions/{active.pk}").json()

    assert body["name"] == active.name
    assert body["status"] == "active"
    assert [o["id"] for o in body["offerings"]] == [offering.pk]
    assert body["qualifications"][0]["valid_today"] is True
    assert [n["reason"] for n in body["notices"]][:2] == ["整改完成", "整改"]


def test_a_pending_institution_is_not_found(api, pending):
    response = api.get(f"/institutions/{pending.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "institution_not_found"


def test_one_offering_with_where_and_its_qualification(api, offering, station, cma):
    offering.stations.add(station)
    Qualification.objects.filter(pk=cma.pk).update(
        valid_from=dt.date(2020, 1, 1), valid_to=today() - dt.timedelta(days=1)
    )

    body = api.get(f"/institutions/offerings/{offering.pk}").json()

    assert body["institution_id"] == offering.institution_id
    assert body["stations"] == [
        {"id": station.pk, "name": station.name, "url": f"/stations/{station.pk}/"}
    ]
    assert body["qualification_valid"] is False
    assert body["qualification"]["number"] == cma.number


def test_a_withdrawn_offering_is_not_found(api, owner, offering):
    services.offering_withdraw(actor=owner, offering=offering)
    response = api.get(f"/institutions/offerings/{offering.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "offering_not_found"
