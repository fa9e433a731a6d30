"""The workbench door: every view declares the permission it needs."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from onestop.accounts import authz


def staff_view(perm: authz.Perm = authz.Perm.WORKBENCH_ACCESS) -> Callable[..., Any]:
    """Anonymous users go to the workbench login; users without ``perm`` get 403."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), "workbench:login")
            authz.require(request.user, authz.Perm.WORKBENCH_ACCESS)
            authz.require(request.user, perm)
            return view(request, *args, **kwargs)

        wrapper.required_perm = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate
