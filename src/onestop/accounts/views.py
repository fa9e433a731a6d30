import datetime as dt
import math
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from onestop.accounts import selectors
from onestop.accounts.backends import lockout_username
from onestop.accounts.forms import LoginForm
from onestop.audit.middleware import client_ip


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the login form while locked out (AXES_LOCKOUT_CALLABLE).

    Status 429 with Retry-After. The time it names is when every failure that
    counts against this account and this address has aged out, so it is
    never too early.
    """
    cool_off = get_cool_off(request) or dt.timedelta(minutes=15)
    now = timezone.now()
    username = lockout_username(request, credentials)
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    until = selectors.lockout_until(username=username, ip=ip, cool_off=cool_off, now=now)
    workbench = request.path.startswith(reverse("workbench:login"))
    response = render(
        request,
        "accounts/locked_out.html",
        {
            "base_template": "workbench/base.html" if workbench else "base.html",
            "until": until,
            "minutes": int(cool_off.total_seconds() // 60),
            "limit": _failure_limit(),
            "login_url": request.path,
        },
        status=429,
    )
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response


def _failure_limit() -> int:
    limit = settings.AXES_FAILURE_LIMIT
    return limit if isinstance(limit, int) else 5
