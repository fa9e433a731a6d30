from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from onestop.accounts import authz


def permissions(request: HttpRequest) -> dict[str, Any]:
    """`perms_of_user` for templates: the Perm values the user holds (lazy)."""

    def load() -> frozenset[str]:
        user = getattr(request, "user", None)
        return frozenset(str(perm) for perm in authz.Perm if authz.has_perm(user, perm))

    return {"user_perms": SimpleLazyObject(load)}
