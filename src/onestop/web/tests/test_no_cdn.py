"""The platform runs on intranets: no page may load anything from outside."""

import re

import pytest

EXTERNAL = re.compile(r"""(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize(
    "url", ["/", "/about/", "/region/", "/accounts/login/", "/workbench/login/", "/api/v1/docs"]
)
def test_pages_reference_no_outside_assets(client, regions, url):
    response = client.get(url)

    assert response.status_code == 200
    assert not EXTERNAL.findall(response.content.decode()), f"{url} loads something from outside"
