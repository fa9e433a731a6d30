"""The benchmark's floor (bench/serve.py): a bare view behind the whole
middleware stack, reached at /bench/floor/ only when the server was started
with ONESTOP_BENCH_FLOOR=1 (otherwise this URLconf is empty and /bench/ is a
404). Nothing else may depend on it."""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"floor", content_type="text/plain")


def signed_in_floor(request: HttpRequest) -> HttpResponse:
    """What every signed-in page pays before doing anything: the session,
    the user and the user's roles (as the layout's menu reads them)."""
    from onestop.accounts import authz

    if not request.user.is_authenticated:
        return HttpResponse(b"anonymous", content_type="text/plain", status=403)
    authz.assignments(request.user)
    return HttpResponse(b"floor", content_type="text/plain")


urlpatterns: list[URLPattern] = (
    [
        path("floor/", floor, name="bench_floor"),
        path("floor/signed-in/", signed_in_floor, name="bench_floor_signed_in"),
    ]
    if os.environ.get("ONESTOP_BENCH_FLOOR") == "1"
    else []
)
