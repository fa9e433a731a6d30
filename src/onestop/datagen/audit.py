"""Phase: the audit rows of the generated actions, appended to the hash
chain exactly as onestop.audit.services.audit_record chains them (same
content, same onestop.audit.chain.row_hash), in time order, after the
chain's current head; the head row is locked and moved to the new tip."""

from __future__ import annotations

import types
from typing import Any

from onestop.audit import chain
from onestop.audit.models import AuditEvent, AuditHead
from onestop.datagen.context import Context


def audit_rows(ctx: Context, actions: list[tuple[Any, ...]]) -> int:
    """``actions``: (at, actor pk, action, object type, object id, object repr, region pk)."""
    labels = {person.pk: person.username for person in ctx.customers}
    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev = head.seq, head.hash
    table = ctx.tables[AuditEvent]
    actions.sort(key=lambda row: row[0])
    for at, actor, action, object_type, object_id, object_repr, region in actions:
        seq += 1
        event = types.SimpleNamespace(
            seq=seq,
            created_at=at,
            actor_id=actor,
            actor_label=labels.get(actor, ""),
            role="",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            region_id=region,
            ip=None,
            user_agent="",
            changes={},
            prev_hash=prev,
        )
        event.hash = chain.row_hash(event)  # type: ignore[arg-type]
        table.add(**vars(event))
        prev = event.hash
    table.flush()
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return len(actions)
