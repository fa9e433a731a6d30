"""The audit hash chain: how a row's hash is computed and how the chain is verified."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from onestop.audit.models import GENESIS_HASH, AuditEvent, AuditHead

_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "region_id",
    "ip",
    "user_agent",
    "changes",
    "prev_hash",
)


def normalise(value: Any) -> Any:
    """What a JSONField gives back for ``value`` (so stored and hashed agree)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def row_hash(event: AuditEvent) -> str:
    content = {name: getattr(event, name) for name in _FIELDS}
    content["created_at"] = event.created_at.isoformat(timespec="microseconds")
    content["changes"] = normalise(event.changes)
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"row seq={self.seq}" + (f" (id={self.event_id})" if self.event_id else "")
        return f"audit chain broken at {where}: {self.reason}"


def verify(chunk_size: int = 5000) -> tuple[int, Break | None]:
    """Walk the chain in order; return rows checked and the first break, if any."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    rows: Iterator[AuditEvent] = AuditEvent.objects.order_by("seq").iterator(chunk_size)
    for event in rows:
        if event.seq != expected_seq:
            return checked, Break(expected_seq, None, f"row missing (next row is seq={event.seq})")
        if event.prev_hash != expected_prev:
            return checked, Break(event.seq, event.pk, "previous-hash link does not match")
        if row_hash(event) != event.hash:
            return checked, Break(event.seq, event.pk, "content does not match its hash (edited)")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != expected_prev):
        return checked, Break(head.seq, None, "rows at the end of the chain were removed")
    return checked, None
