"""The visitor's chosen region, kept in the session."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from onestop.regions import selectors as region_selectors
from onestop.regions.models import Region

SESSION_KEY = "onestop_region"


def current_region(request: HttpRequest) -> Region | None:
    cached = getattr(request, "_onestop_region", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    code = (
        request.session.get(SESSION_KEY, settings.ONESTOP_DEFAULT_REGION)
        if hasattr(request, "session")
        else settings.ONESTOP_DEFAULT_REGION
    )
    region = region_selectors.region_find(code=code)
    request._onestop_region = region  # type: ignore[attr-defined]
    return region


def remember_region(request: HttpRequest, region: Region) -> None:
    request.session[SESSION_KEY] = region.code
    request._onestop_region = region  # type: ignore[attr-defined]
