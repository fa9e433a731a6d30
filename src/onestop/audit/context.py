"""Who is acting and from where, for the current request or task."""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    user: Any = None
    ip: str | None = None
    user_agent: str = ""


_EMPTY = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("onestop_audit_context", default=None)


def get() -> AuditContext:
    return _current.get() or _EMPTY


def set_context(context: AuditContext) -> Token[AuditContext | None]:
    return _current.set(context)


def reset(token: Token[AuditContext | None]) -> None:
    _current.reset(token)
