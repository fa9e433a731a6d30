"""Logging in: by username or mobile number, and the lockout around it (WX 4.1.4).

``UsernameOrMobileBackend`` is Django's ModelBackend that also finds a user by
mobile number (through its blind index; the number itself is stored
encrypted). The rest of this module adapts django-axes to that: failures are
counted per *account* however it was named (username or mobile number), and
a successful login forgets only that account's failures.
"""

from __future__ import annotations

import re
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from onestop.core.crypto import blind_index

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_COUNTRY_PREFIX = "+86"
_CACHE_ATTR = "_onestop_lockout_usernames"


def normalise_login(value: object) -> str:
    """What the user typed in the username box, without any whitespace."""
    return "".join(str(value).split())


def mobile_of(login: str) -> str | None:
    """The 11-digit mainland mobile number ``login`` is, if it is one."""
    if login.startswith(_COUNTRY_PREFIX):
        login = login[len(_COUNTRY_PREFIX) :]
    return login if MOBILE_RE.fullmatch(login) else None


def user_for_login(value: object) -> Any:
    """The user a login name means, or None: a mobile number is looked up as one.

    A value shaped like a mobile number is only ever a mobile number, so one
    person's username can never shadow another person's number.
    """
    user_model = get_user_model()
    login = normalise_login(value)
    if not login:
        return None
    mobile = mobile_of(login)
    if mobile is not None:
        return user_model._default_manager.filter(
            mobile_index=blind_index(mobile, purpose="mobile")
        ).first()
    try:
        return user_model._default_manager.get_by_natural_key(login)
    except user_model.DoesNotExist:
        return None


class UsernameOrMobileBackend(ModelBackend):
    """ModelBackend semantics (active users only, permissions) plus mobile login."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Hash once anyway so an unknown name takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The name failures are counted under (AXES_USERNAME_CALLABLE).

    A mobile number that belongs to an account counts as that account's
    username, so alternating between the two names does not double the
    guesses an attacker gets. Anything else counts as typed (without spaces).
    """
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    if typed is None:
        return None
    login = normalise_login(typed)[:150]
    cache: dict[str, str] = request.__dict__.setdefault(_CACHE_ATTR, {})
    if login not in cache:
        user = user_for_login(login) if mobile_of(login) else None
        cache[login] = user.get_username() if user is not None else login
    return cache[login]


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped
    """axes' database handler, but a success forgets only the account's own failures.

    axes would delete every failure from the successful client's address too,
    so an attacker holding one valid account could log into it between
    guesses at someone else's password and never reach the limit.
    """

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
