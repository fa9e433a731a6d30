"""Session time limits (MLPS 2.0 level 2; WX 4.1.4) and login-event bookkeeping.

A session ends after ONESTOP_SESSION_IDLE_SECONDS without a request and
ONESTOP_SESSION_ABSOLUTE_SECONDS after the login at the latest. The clock is
two Unix timestamps in the session, written at login (the ``user_logged_in``
receiver below) and, for the last activity, at most once a minute so that
ordinary page views do not write the session each time.

The receivers live here because this module is imported when Django builds
its middleware chain, i.e. at start-up of every web process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from onestop.audit import context as audit_context
from onestop.audit.middleware import client_ip
from onestop.audit.services import audit_record

LOGIN_AT = "onestop_login_at"
SEEN_AT = "onestop_seen_at"
SEEN_RESOLUTION_SECONDS = 60  # the idle clock may run up to a minute early


class SessionTimeoutMiddleware:
    """Log out sessions that were idle too long or have lived too long.

    The user lands on the page they asked for as an anonymous visitor (the
    workbench then sends them to its login) with a message saying why. The
    expiry is recorded as ``auth.session_expired``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if not isinstance(login_at, int) or not isinstance(seen_at, int):
                # Logged in before this middleware ran (or by a test's force_login).
                session[LOGIN_AT] = login_at if isinstance(login_at, int) else now
                session[SEEN_AT] = now
            elif now - login_at > settings.ONESTOP_SESSION_ABSOLUTE_SECONDS:
                self._expire(request, reason="absolute", started=login_at)
            elif now - seen_at > settings.ONESTOP_SESSION_IDLE_SECONDS:
                self._expire(request, reason="idle", started=login_at)
            elif now - seen_at >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def _expire(request: HttpRequest, *, reason: str, started: int) -> None:
        user = request.user
        if user.is_authenticated:
            # This runs before AuditContextMiddleware; give the row its address.
            token = audit_context.set_context(
                audit_context.AuditContext(
                    ip=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
                )
            )
            try:
                audit_record(
                    action="auth.session_expired",
                    actor=user,
                    obj=user,
                    changes={"reason": reason, "logged_in_at": started},
                )
            finally:
                audit_context.reset(token)
        # What django.contrib.auth.logout does, minus its user_logged_out
        # signal: the audit trail gets one row for this, not a second
        # "logged out" as if the user had clicked the button.
        request.session.flush()
        request.user = AnonymousUser()
        messages.warning(request, _("Your session has timed out. Please log in again."))


@receiver(user_logged_in, dispatch_uid="onestop_session_clock")
def _start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Start the clocks at login; a new password login also needs a new second factor."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[LOGIN_AT] = now
    session[SEEN_AT] = now
    session.pop(DEVICE_ID_SESSION_KEY, None)


@receiver(user_locked_out, dispatch_uid="onestop_audit_lockout")
def _record_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    # axes also sends this for each attempt refused during a lockout; those
    # are already recorded as failed logins, so only the lockout itself is.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    audit_record(
        action="auth.locked_out",
        actor_label=str(username or "")[:150],
        changes={"username": str(username or "")[:150], "failures": failures},
    )
