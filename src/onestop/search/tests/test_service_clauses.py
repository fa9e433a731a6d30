"""Every service named in LZ 7, HM 4.2 and WX 6 is found by searching for it
(issue 4: each `service` clause of clauses.tsv, through the search page)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from onestop.catalog.models import ServiceItem

pytestmark = pytest.mark.django_db

BUNDLED = json.loads(
    resources.files("onestop.catalog").joinpath("data/catalog.json").read_text("utf-8")
)


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(entry, marks=pytest.mark.clause(entry["clause"]), id=entry["clause"])
        for entry in BUNDLED["items"]
    ],
)
def test_the_service_of_each_clause_is_found_through_search(client, world, entry):
    item = ServiceItem.objects.get(name=entry["name"])
    response = client.get("/search/", {"q": entry["name"]})
    assert response.status_code == 200
    results = response.content.decode().split('<ol class="results">', 1)[1]
    # The exact name ranks first among the catalog entries.
    first_item = results.split('href="/services/items/', 1)[1].split('"', 1)[0]
    assert first_item == f"{item.pk}/", entry["name"]
