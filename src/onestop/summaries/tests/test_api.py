"""The public improvement plans API (WX 8.2), mounted here on an API like the
site's one (login required by default, domain errors as JSON), so the test
proves the operations opt out of login themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import django_auth
from ninja.testing import TestClient

from onestop.core.errors import DomainError
from onestop.summaries import services
from onestop.summaries.api import router
from onestop.summaries.models import ImprovementPlan

from .conftest import LAST_YEAR, add_item

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    site_like = NinjaAPI(urls_namespace="summaries-api-test", auth=django_auth)

    @site_like.exception_handler(DomainError)
    def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return site_like.create_response(
            request, {"code": exc.code, "detail": str(exc.message)}, status=exc.status
        )

    site_like.add_router("/summaries/", router)
    return TestClient(site_like)


@pytest.mark.clause("WX 8.2")
def test_a_published_plan_is_public_with_its_rechecks(api, world):
    item = add_item(world, year=LAST_YEAR)
    add_item(world, year=LAST_YEAR, problem="第二项")
    services.improvement_item_start(actor=world.lz_manager, item=item)
    services.improvement_item_complete(actor=world.lz_manager, item=item)
    services.improvement_item_recheck(
        actor=world.lz_manager, item=item, result="复查通过", rechecked_on=dt.date(2026, 11, 18)
    )
    assert api.get(f"/summaries/plans/450200/{LAST_YEAR}").status_code == 404
    ImprovementPlan.objects.update(published_at=timezone.now())

    listing = api.get("/summaries/plans")
    plan = api.get(f"/summaries/plans/450200/{LAST_YEAR}")

    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert listing.json()["results"][0]["url"] == f"/summaries/450200/{LAST_YEAR}/"
    assert plan.status_code == 200
    body = plan.json()
    assert (body["region_code"], body["year"]) == ("450200", LAST_YEAR)
    first, second = body["items"]
    assert first["state"] == "rechecked"
    assert (first["recheck_result"], first["rechecked_on"]) == ("复查通过", "2026-11-18")
    assert (first["started_on"], first["done_on"]) == ("2026-11-18", "2026-11-18")
    assert second["state"] == "planned"
    assert world.lz_manager.display_name not in plan.content.decode()


def test_unknown_plans_are_404_json(api, world):
    response = api.get("/summaries/plans/999999/2025")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
