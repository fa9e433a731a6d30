"""Idempotency keys on the API's submissions (issue 7, "lost acknowledgement").

A submission that committed just before the database connection dropped can
answer 503; the client retries. With an ``Idempotency-Key`` header (Stripe;
IETF draft "The Idempotency-Key HTTP Header Field") the retry gets the first
answer again instead of creating a duplicate:

- the first request with a key runs the operation and stores its answer
  (status and JSON body) in the same transaction as the operation's writes,
  so either both exist or neither does;
- a retry with the same key, the same operation and the same input gets the
  stored answer with ``Idempotent-Replayed: true`` and writes nothing;
- the same key with another operation or another input is a 422, a key
  still being processed by a concurrent request a 409;
- a key that is not 1-255 printable ASCII characters is a 422.

A key belongs to one principal: the logged-in user, or for an operation
whose credential is a signed link, that link. Only successful answers are
stored: a refused request stored nothing, so its retry runs again. Without
the header nothing changes. Keys are kept for 24 hours.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Header
from ninja.responses import Status
from ninja.utils import contribute_operation_args
from pydantic import BaseModel

from onestop.core.errors import DomainError
from onestop.core.models import IdempotencyKey

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = 255
# Printable ASCII; no space at either end (HTTP would strip it on the way).
KEY_PATTERN = r"^[!-~]([ -~]*[!-~])?$"
KEY_LIFETIME = dt.timedelta(hours=24)
# The keyword under which ninja hands the parsed header to the wrapper.
_ARGUMENT = "idempotency_key"
_HEADER_DOC = (
    "Optional. A unique value (1-255 printable ASCII characters, e.g. a UUID) chosen by "
    "the client for this submission. A retry with the same key and the same input "
    "returns the first answer (with the header `Idempotent-Replayed: true`) instead of "
    "submitting again; the same key with other input is a 422; while the first request "
    "with the key is still running, a 409. Keys are kept for 24 hours."
)


class IdempotencyKeyInUse(DomainError):
    code = "idempotency_key_in_use"
    status = 409
    default_message = _(
        "A request with this idempotency key is still being processed. "
        "Please try again in a moment."
    )


REUSED_CODE = "idempotency_key_reused"
REUSED_MESSAGE = _("This idempotency key was already used for a different request.")


@dataclass(frozen=True)
class Principal:
    """Whom a key belongs to: ``scope`` is unique per principal."""

    scope: str
    user_id: int | None = None


ScopeOf = Callable[[HttpRequest, Mapping[str, Any]], Principal | None]


def logged_in_user(request: HttpRequest, inputs: Mapping[str, Any]) -> Principal | None:
    """The default principal: the logged-in user (anonymous requests keep
    their behaviour: the header is ignored)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Principal(scope=f"user:{user.pk}", user_id=user.pk)


def link_holder(parameter: str) -> ScopeOf:
    """The principal is whoever holds the signed link in path parameter
    ``parameter`` (it is the credential, with or without a login); the token
    is stored only as a digest."""

    def scope(request: HttpRequest, inputs: Mapping[str, Any]) -> Principal:
        digest = hashlib.sha256(str(inputs[parameter]).encode()).hexdigest()
        return Principal(scope=f"link:{digest}")

    return scope


def fingerprint(inputs: Mapping[str, Any]) -> str:
    """SHA-256 of the operation's validated input as canonical JSON (sorted
    keys, no spaces): a retry that differs only in key order, white space
    or defaults left out is the same request. Files count by name, size and
    content digest."""
    canonical = json.dumps(
        _plain(dict(inputs)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)  # the operation reads it again
        return {"name": value.name, "size": value.size, "sha256": digest.hexdigest()}
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def idempotent(operation: str, *, scope: ScopeOf = logged_in_user) -> Callable[..., Any]:
    """Make a django-ninja submission operation honour ``Idempotency-Key``.

    Put it under the router decorator. It adds the optional header to the
    operation (documented and checked by ninja: a malformed key is the usual
    422). The operation must return a Schema or ``Status(code, Schema)``;
    its 409 and 422 answers must be documented on the operation.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, **inputs: Any) -> Any:
            key = inputs.pop(_ARGUMENT, None)
            principal = scope(request, inputs) if key is not None else None
            if key is None or principal is None:
                return func(request, **inputs)
            return _once(
                request,
                principal=principal,
                key=key,
                operation=operation,
                fingerprint=fingerprint(inputs),
                call=functools.partial(func, request, **inputs),
            )

        # ninja resolves string annotations in the wrapper's module: hand it
        # the operation's own, resolved in the operation's module.
        wrapper.__signature__ = inspect.signature(func, eval_str=True)  # type: ignore[attr-defined]
        header = Header(  # type: ignore[type-arg]
            None,
            alias=KEY_HEADER,
            min_length=1,
            max_length=KEY_MAX_LENGTH,
            pattern=KEY_PATTERN,
            description=_HEADER_DOC,
        )
        contribute_operation_args(wrapper, _ARGUMENT, str, header)
        return wrapper

    return decorate


def _once(
    request: HttpRequest,
    *,
    principal: Principal,
    key: str,
    operation: str,
    fingerprint: str,
    call: Callable[[], Any],
) -> HttpResponse:
    outcome = _in_transaction(request, principal, key, operation, fingerprint, call)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def _in_transaction(
    request: HttpRequest,
    principal: Principal,
    key: str,
    operation: str,
    fingerprint: str,
    call: Callable[[], Any],
) -> HttpResponse | DomainError:
    """Replay the stored answer, or run ``call`` and store its answer, in one
    transaction (the services' own atomic blocks nest in it as savepoints;
    their on_commit hooks fire once, when it commits)."""
    with transaction.atomic():
        if not _claim(principal.scope, key):
            raise IdempotencyKeyInUse()
        stored = _stored(principal.scope, key)
        if stored is not None:
            if (stored.operation, stored.fingerprint) != (operation, fingerprint):
                return _reused(request)
            return _replay(request, stored)
        try:
            result = call()
        except DomainError as error:
            # Commit what the operation chose to keep when refusing (e.g. the
            # audit row of a refused link), exactly as without the header;
            # its own atomic blocks have rolled back the rest.
            return error
        response = _render(request, result)
        if 200 <= response.status_code < 300:
            _store(principal, key, operation, fingerprint, response)
        return response


def _claim(scope: str, key: str) -> bool:
    """Whether no concurrent request holds the key. PostgreSQL: a
    transaction-scoped advisory lock, taken without waiting. SQLite needs
    none: BEGIN IMMEDIATE already lets one writer in at a time."""
    if connection.vendor != "postgresql":
        return True
    digest = hashlib.sha256(f"idempotency\n{scope}\n{key}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s)",
            [int.from_bytes(digest[:8], "big", signed=True)],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def _stored(scope: str, key: str) -> IdempotencyKey | None:
    stored = IdempotencyKey.objects.filter(scope=scope, key=key).first()
    if stored is not None and stored.created_at <= timezone.now() - KEY_LIFETIME:
        stored.delete()  # expired, not purged yet: the key is free again
        return None
    return stored


def _store(
    principal: Principal, key: str, operation: str, fingerprint: str, response: HttpResponse
) -> None:
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                user_id=principal.user_id,
                scope=principal.scope,
                key=key,
                operation=operation,
                fingerprint=fingerprint,
                status=response.status_code,
                body=response.content.decode(),
            )
    except IntegrityError as exc:
        # Another request stored the key first (only possible without the
        # advisory lock): undo this one's writes.
        raise IdempotencyKeyInUse() from exc


def _api() -> Any:
    # Imported late: the API module imports the apps' routers, which import this.
    from onestop.config.api import api

    return api


def _render(request: HttpRequest, result: Any) -> HttpResponse:
    """The operation's answer as ninja would render it (the stored body is
    then byte for byte what the first request got)."""
    status, value = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    if not isinstance(value, BaseModel):
        raise TypeError("an idempotent operation returns a Schema or Status(code, Schema)")
    response: HttpResponse = _api().create_response(request, value.model_dump(), status=status)
    return response


def _replay(request: HttpRequest, stored: IdempotencyKey) -> HttpResponse:
    content_type = _api().get_content_type()
    response = HttpResponse(stored.body, status=stored.status, content_type=content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def _reused(request: HttpRequest) -> HttpResponse:
    """422 in the API's validation-error shape, naming the header."""
    message = str(REUSED_MESSAGE)
    body = {
        "code": REUSED_CODE,
        "detail": message,
        "errors": [{"loc": ["header", KEY_HEADER], "msg": message, "type": REUSED_CODE}],
    }
    response: HttpResponse = _api().create_response(request, body, status=422)
    return response


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the keys older than 24 hours (periodic: onestop.core.tasks)."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _counts = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
