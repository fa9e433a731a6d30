"""The workbench door: every view declares the permission it needs.

Staff pass two checks before any workbench page: the password (the workbench
login) and a second factor in this session (onestop.accounts.twofactor,
WX 4.1.2d). Only then are permissions looked at, so a half-logged-in session
learns nothing about what the account may do.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from onestop.accounts import authz, twofactor


def second_factor_url(user: Any, next_url: str = "") -> str:
    """Where a password-only staff session goes: verify, or set up a first device."""
    name = "workbench:2fa_verify" if twofactor.has_confirmed_totp(user) else "workbench:2fa_setup"
    url = reverse(name)
    if next_url and next_url != reverse("workbench:home"):
        url = f"{url}?{urlencode({'next': next_url})}"
    return url


def safe_next(request: HttpRequest, default: str = "") -> str:
    """The ``next`` parameter if it points into this site, else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("workbench:home")


def staff_password_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the second-factor pages themselves: a staff password login is enough."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "workbench:login")
        authz.require(request.user, authz.Perm.WORKBENCH_ACCESS)
        return view(request, *args, **kwargs)

    return wrapper


def staff_view(perm: authz.Perm = authz.Perm.WORKBENCH_ACCESS) -> Callable[..., Any]:
    """Anonymous users go to the workbench login, staff without a verified second
    factor to the 2FA page, users without ``perm`` get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "workbench:login")
            if authz.is_staff(user) and not twofactor.session_is_verified(user):
                # A form posted to a POST-only URL cannot be replayed by a redirect.
                back = request.get_full_path() if request.method == "GET" else ""
                return HttpResponseRedirect(second_factor_url(user, back))
            authz.require(user, authz.Perm.WORKBENCH_ACCESS)
            authz.require(user, perm)
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate
