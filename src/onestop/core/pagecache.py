"""Whole-page cache for anonymous visitors of the public pages (issue 7, item 2).

The public face of the platform (home, search, institution and offering
pages, the catalog) is read far more than it changes, and most readers are
not logged in. For them a page is rendered once per ``ONESTOP_PAGE_CACHE_SECONDS``
and served from the cache (Redis in production) in between.

What makes a page differ between two anonymous visitors is part of the key:
the path and query string, the language and the chosen region. What must
differ on every response is put back on the way out: the Content-Security-
Policy nonce of this response and this visitor's CSRF token (the language
form on every page posts). Nothing is cached or served from the cache for a
logged-in user, for anything but GET, for a response that is not a 200, that
sets a cookie or changed the session, or while a message waits to be shown.

Invalidation: every save or delete of a model the public pages show (the
apps in ``PUBLIC_APPS``) moves a generation counter; a page stored under an
older generation is not served (both are read in one round trip), so the
next visitor sees the change at once; bulk writes that bypass
signals call :func:`invalidate_on_commit`. The time limit bounds what a missed
invalidation could leave (and, with a per-process cache, what other
processes still show).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

F = TypeVar("F", bound=Callable[..., HttpResponse])

GENERATION_KEY = "pagecache:generation"
NONCE_MARK = "\x00csp-nonce\x00"
CSRF_MARK = "\x00csrf-token\x00"
_CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
HEADER = "X-Page-Cache"

# Apps whose rows appear on the cached pages.
PUBLIC_APPS = frozenset(
    {
        "catalog",
        "evaluations",
        "experts",
        "institutions",
        "regions",
        "search",
        "stations",
        "supervision",
        "web",
    }
)


def _seconds() -> int:
    return int(getattr(settings, "ONESTOP_PAGE_CACHE_SECONDS", 0))


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def invalidate() -> None:
    """Make every cached page stale (the next visitor gets a fresh one)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or the cache was emptied): start a new count
        cache.add(GENERATION_KEY, 2, timeout=None)


def invalidate_on_commit() -> None:
    """Invalidate once the current transaction commits (at once outside one):
    invalidating earlier would let a visitor cache the old page again before
    the change is visible. Once per transaction however many rows change."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        entry[1] is invalidate for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(invalidate, robust=True)


def _may_use_cache(request: HttpRequest) -> bool:
    if request.method != "GET" or _seconds() <= 0:
        return False
    if request.user.is_authenticated:
        return False
    if CookieStorage.cookie_name in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


def _key(request: HttpRequest) -> str:
    from onestop.web.region import SESSION_KEY

    session = getattr(request, "session", None)
    region = session.get(SESSION_KEY, "") if session is not None else ""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"page:{language}:{region or '-'}:{path}"


def _freeze(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    """What to store of a fresh response, or None if it must not be stored."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    text = response.content.decode(response.charset)
    nonce = getattr(request, "csp_nonce", "")
    if nonce:
        text = text.replace(nonce, NONCE_MARK)
    text = _CSRF_FIELD.sub(rf"\g<1>{CSRF_MARK}\g<2>", text)
    return {"body": text, "content_type": response["Content-Type"]}


def _thaw(request: HttpRequest, stored: dict[str, Any]) -> HttpResponse:
    text: str = stored["body"]
    text = text.replace(NONCE_MARK, getattr(request, "csp_nonce", ""))
    if CSRF_MARK in text:
        # A token for this visitor (CsrfViewMiddleware sets the cookie).
        text = text.replace(CSRF_MARK, get_token(request))
    response = HttpResponse(text, content_type=stored["content_type"])
    response[HEADER] = "hit"
    # As the page rendered for a signed-in user would say: what a shared cache
    # on the way may keep depends on the cookies.
    patch_vary_headers(response, ["Cookie"])
    return response


def _lookup(request: HttpRequest) -> tuple[str, dict[str, Any] | None, int | None]:
    """The key, the stored page if it is current, and the current generation,
    in one round trip to the cache."""
    key = _key(request)
    found = cache.get_many([GENERATION_KEY, key])
    current = found.get(GENERATION_KEY)
    stored = found.get(key)
    if stored is not None and (current is None or stored["generation"] != current):
        stored = None
    return key, stored, current


def public_page(view: F) -> F:
    """Serve ``view`` from the page cache to anonymous visitors (see the module).

    A first visit (no session cookie) is answered by PageCacheMiddleware
    before the view is reached; this wrapper answers the others (a visitor
    with a session, e.g. a chosen region) and fills the cache."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key, stored, current = _lookup(request)
        if stored is not None:
            return _thaw(request, stored)
        if current is None:
            current = generation()
        response = view(request, *args, **kwargs)
        frozen = _freeze(request, response)
        if frozen is not None:
            cache.set(key, {**frozen, "generation": current}, _seconds())
            response[HEADER] = "miss"
        return response

    wrapper.public_page = True  # type: ignore[attr-defined]
    return cast(F, wrapper)


class PageCacheMiddleware:
    """Answer a first visit to a cached public page before the rest of the
    stack: with no session cookie there is no user, no message and no
    session to load, so only what a cached page needs is done — its CSRF
    token and cookie (Django's own CsrfViewMiddleware steps), the frame
    header — and the outer middleware (security headers, the CSP with this
    response's nonce, the language) still wraps it. Placed right after the
    locale middleware; anything it does not answer goes on down the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.frames = XFrameOptionsMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method == "GET"
            and _seconds() > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
            and self._is_public_page(request)
        ):
            _key, stored, _current = _lookup(request)
            if stored is not None:
                self.csrf.process_request(request)
                page = _thaw(request, stored)
                page["Content-Length"] = str(len(page.content))
                page = self.frames.process_response(request, page)
                return self.csrf.process_response(request, page)
        return self.get_response(request)

    @staticmethod
    def _is_public_page(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return bool(getattr(match.func, "public_page", False))


def _changed(sender: type, **kwargs: Any) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label in PUBLIC_APPS and _seconds() > 0:
        invalidate_on_commit()


def connect_signals() -> None:
    """Called once from CoreConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_changed, dispatch_uid=f"onestop.pagecache.{signal!r}")
