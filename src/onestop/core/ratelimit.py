"""A small fixed-window rate limiter on the Django cache (issue 7 item 7).

``rate_hit(scope, ident)`` counts one request of ``ident`` (a client address,
a user id) in ``scope`` and raises ``RateLimited`` (429, with the seconds to
wait) once the scope's limit for the current window is used up. The counter
lives in the ``default`` cache: Redis in production (shared by every gunicorn
worker), the process's local memory in the embedded profile and in tests.

Rates come from ``settings.ONESTOP_RATE_LIMITS`` (scope → "60/m", or None
to switch a scope off) over ``DEFAULT_RATES``. The test profile has no
limits unless a test sets ``ONESTOP_RATE_LIMITS`` (the test client always
comes from 127.0.0.1 and the cache outlives a test, so hundreds of unrelated
tests would otherwise share one counter). Benchmarks and load tests that
drive the platform from one address set the setting too.

If the cache cannot be reached the request is let through and a warning is
logged: the limiter bounds abuse, it must not take the platform down.

Fixed windows let a client make up to twice the limit across one window
boundary; for 60 searches a minute that is acceptable and costs one cache
round trip (``add`` + ``incr``) per request.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import DomainError

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

# scope → "count/unit"; see the module docstring for how to change them.
DEFAULT_RATES: dict[str, str | None] = {
    # Per client address: a person paging through results stays far below.
    "search": "60/m",
    # Per user, on top of the per-day quota of documents.services.
    "upload": "10/m",
    # Per client address, renders of the public PDF manuals only (a kept PDF
    # is served without counting): each costs up to seconds of CPU.
    "manual_pdf": "10/h",
}


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'60/m' → 60 a minute; units s, m, h, d; '5/10m' → 5 in ten minutes."""
        count, _slash, per = text.partition("/")
        unit = per[-1:] if per else ""
        multiple = per[:-1] or "1"
        if not count.isdigit() or unit not in _UNITS or not multiple.isdigit():
            raise ValueError(f"bad rate {text!r}: use e.g. '60/m'")
        return cls(int(count), int(multiple) * _UNITS[unit])


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _(
        "Too many requests in a short time. Please wait %(seconds)s seconds and try again."
    )

    def __init__(self, *, seconds: int) -> None:
        self.retry_after = seconds
        super().__init__(seconds=seconds)


def rate_for(scope: str) -> Rate | None:
    configured = getattr(settings, "ONESTOP_RATE_LIMITS", None)
    if configured is None:
        if getattr(settings, "ONESTOP_PROFILE", "") == "test":
            return None
        configured = {}
    text = configured[scope] if scope in configured else DEFAULT_RATES.get(scope)
    return Rate.parse(text) if text else None


def rate_hit(scope: str, ident: str, *, now: float | None = None) -> None:
    """Count one request of ``ident`` in ``scope``; RateLimited when over the limit."""
    rate = rate_for(scope)
    if rate is None:
        return
    now = time.time() if now is None else now
    window = int(now // rate.window)
    key = f"ratelimit:{scope}:{ident}:{window}"
    try:
        cache.add(key, 0, timeout=rate.window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired or evicted between add and incr
            cache.set(key, 1, timeout=rate.window + 1)
            count = 1
    except Exception:  # the cache is down: let the request through
        logger.warning("rate limiter cache unavailable; %s not limited", scope, exc_info=True)
        return
    if count > rate.limit:
        seconds = max(1, math.ceil((window + 1) * rate.window - now))
        raise RateLimited(seconds=seconds)


def client_key(request: HttpRequest) -> str:
    from onestop.audit.middleware import client_ip

    return client_ip(request) or "unknown"


def too_many_response(request: HttpRequest, exc: RateLimited, *, api: bool) -> HttpResponse:
    """429 with Retry-After: JSON for the API, the error page otherwise."""
    response: HttpResponse
    if api:
        response = JsonResponse({"code": exc.code, "detail": exc.message}, status=exc.status)
    else:
        response = TemplateResponse(
            request, "web/domain_error.html", {"error": exc}, status=exc.status
        ).render()
    response["Retry-After"] = str(exc.retry_after)
    return response


F = TypeVar("F", bound=Callable[..., Any])


def rate_limited(scope: str, *, api: bool = False) -> Callable[[F], F]:
    """Limit a view (or a django-ninja operation, ``api=True``) per client address."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            try:
                rate_hit(scope, client_key(request))
            except RateLimited as exc:
                return too_many_response(request, exc, api=api)
            return view(request, *args, **kwargs)

        # django-ninja reads the operation's parameters from the signature;
        # resolve string annotations (``from __future__ import annotations``)
        # in the view's module, not in this one.
        wrapper.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate
