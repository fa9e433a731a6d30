"""Appending to the audit trail. Every privileged write calls audit_record."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from onestop.audit import chain
from onestop.audit import context as audit_context
from onestop.audit.models import AuditEvent, AuditHead


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    region: Any = None,
    changes: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The head row is locked so concurrent appends queue up; with the caller's
    transaction it means an event exists exactly when the change it records
    was committed. Actor, IP and user agent default to the current request.
    """
    from onestop.accounts import authz

    context = audit_context.get()
    if actor is None and context.user is not None and context.user.is_authenticated:
        actor = context.user
    if region is None and obj is not None:
        region = getattr(obj, "region", None)
    if region is None and actor is not None:
        region = next((a.region for a in authz.assignments(actor) if a.region), None)

    head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_label=(actor_label or (actor.get_username() if actor is not None else ""))[:150],
        role=authz.describe(actor) if actor is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        region=region,
        ip=context.ip,
        user_agent=context.user_agent,
        changes=chain.normalise(changes or {}),
        prev_hash=head.hash,
    )
    event.hash = chain.row_hash(event)
    event.save()
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event
