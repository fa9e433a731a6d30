"""The JSON API under /api/v1/, one NinjaAPI whose routers come from the apps.

Every error is JSON of one shape, ``{"code": ..., "detail": ...}`` (the
``ErrorOut`` schemas of the apps): domain errors with their code and Chinese
message (see onestop.core.errors), and the framework's own answers too —
401 without a session, 403 when the CSRF check fails, 404 for an unknown
object, 422 (with the offending ``errors``) for a request that does not
match the documented parameters or body (or holds a NUL character), 413 for a body over Django's
upload limits.

The answers that can come from any operation whatever its own code says are
documented once, here (``OneStopAPI.get_openapi_schema``): 401 and, for
unsafe methods, 403 on operations that need a session; 422 on operations
that take parameters or a body; 413 on those with a body; 503 everywhere (the database unavailable,
onestop.core.middleware). The operations document their own 400/403/404/
409/... in their ``response=`` maps. tests/fuzz proves that the document
holds for every answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import BaseModel

from onestop.core.errors import DomainError

_ERROR = {
    "type": "object",
    "title": "ApiError",
    "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
    "required": ["code", "detail"],
}
_VALIDATION_ERROR = {
    "type": "object",
    "title": "ApiValidationError",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        },
    },
    "required": ["code", "detail", "errors"],
}
_UNSAFE = frozenset({"post", "put", "patch", "delete"})


def _documented(description: str, component: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


class OneStopAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ApiError"] = _ERROR
        components["ApiValidationError"] = _VALIDATION_ERROR
        for methods in schema["paths"].values():
            for method, operation in methods.items():
                responses = operation["responses"]
                common: dict[int, dict[str, Any]] = {}
                if operation.get("security"):
                    common[401] = _documented("Not logged in", "ApiError")
                    if method in _UNSAFE:
                        common[403] = _documented("Forbidden (or CSRF check failed)", "ApiError")
                if operation.get("requestBody"):
                    common[413] = _documented("Request body over the size limit", "ApiError")
                if operation.get("parameters") or operation.get("requestBody"):
                    common[422] = _documented(
                        "Parameters or body do not match this document", "ApiValidationError"
                    )
                common[503] = _documented("Service temporarily unavailable", "ApiError")
                for status, answer in common.items():
                    if status not in responses and str(status) not in responses:
                        responses[status] = answer
        return schema


api = OneStopAPI(
    title="OneStop QI API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)


def _nul_at(value: object, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where a NUL character hides in ``value`` (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, object]] = ((str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    elif isinstance(value, UploadedFile):
        return loc if "\x00" in (value.name or "") else None
    else:
        return None
    for key, item in items:
        found = _nul_at(item, (*loc, key))
        if found is not None:
            return found
    return None


def _refuse_nul(view: Callable[..., Any]) -> Callable[..., Any]:
    """422 for any input holding a NUL character, before the operation runs:
    no text column can store one, and PostgreSQL refuses it even in a query."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        found = _nul_at(kwargs, ())
        if found is None and "\x00" in request.path_info:
            found = ("path",)
        if found is not None:
            error = {"loc": list(found), "msg": "NUL characters are not allowed", "type": "nul"}
            raise ValidationError([error])
        return view(request, *args, **kwargs)

    return checked


api.add_decorator(_refuse_nul)


def _error(request: HttpRequest, status: int, code: str, detail: str) -> HttpResponse:
    return api.create_response(request, {"code": code, "detail": detail}, status=status)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = _error(request, exc.status, exc.code, str(exc.message))
    retry_after = getattr(exc, "retry_after", None)  # RateLimited (onestop.core.ratelimit)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "")),
            "type": str(error.get("type", "")),
        }
        for error in exc.errors
    ]
    body = {
        "code": "invalid_request",
        "detail": gettext("The request does not match the API description."),
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "not_authenticated", gettext("Please log in first."))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    phrase = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_")
    return _error(request, exc.status_code, phrase, str(exc.message))


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    detail = gettext("The request is too large.")
    return _error(request, 413, "payload_too_large", detail)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", gettext("Not found."))


def _register_routers() -> None:
    from onestop.core.api import router as core_router
    from onestop.regions.api import router as regions_router

    api.add_router("/regions/", regions_router)
    api.add_router("/calendar/", core_router)
    api.add_router("/accounts/", "onestop.accounts.api.router")
    api.add_router("/verification/", "onestop.verification.api.router")
    api.add_router("/search/", "onestop.search.api.router")
    api.add_router("/institutions/", "onestop.institutions.api.router")
    api.add_router("/experts/", "onestop.experts.api.router")
    api.add_router("/stations/", "onestop.stations.api.router")
    api.add_router("/fieldwork/", "onestop.fieldwork.api.router")
    api.add_router("/demands/", "onestop.demands.api.router")
    api.add_router("/orders/", "onestop.orders.api.router")
    api.add_router("/open311/", "onestop.orders.open311.router")
    api.add_router("/evaluations/", "onestop.evaluations.api.router")
    api.add_router("/complaints/", "onestop.complaints.api.router")
    api.add_router("/statistics/", "onestop.reporting.api.router")
    api.add_router("/summaries/", "onestop.summaries.api.router")


_register_routers()
