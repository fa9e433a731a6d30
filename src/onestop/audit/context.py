"""Who is acting and from where, for the current request or task."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    user: Any = None
    ip: str | None = None
    user_agent: str = ""


current: ContextVar[AuditContext] = ContextVar("onestop_audit_context", default=AuditContext())
