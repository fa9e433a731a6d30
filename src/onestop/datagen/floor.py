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


urlpatterns: list[URLPattern] = (
    [path("floor/", floor, name="bench_floor")]
    if os.environ.get("ONESTOP_BENCH_FLOOR") == "1"
    else []
)
