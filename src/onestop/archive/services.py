"""Writes of the enterprise quality archive: the log of its use (HM 6.3).

Staff open an enterprise's archive only with a stated purpose; each opening,
each export and each refused attempt is an ArchiveAccess row (the
enterprise's access log) and an audit event. The enterprise is not notified
of each opening (it would be noise); its access log always shows them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.authz import Perm
from onestop.accounts.models import User
from onestop.archive import selectors
from onestop.archive.models import (
    DETAIL_MAX,
    OPENING_MINUTES,
    STAFF_PURPOSES,
    AccessKind,
    ArchiveAccess,
    Purpose,
)
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput, PermissionDeniedError
from onestop.enterprises.models import Enterprise


class ExportNeedsPurpose(PermissionDeniedError):
    code = "archive_export_needs_purpose"
    default_message = _(
        'Open the archive with the purpose "Export to PDF" before exporting it; '
        "an opening is valid for %(minutes)s minutes."
    )


def _require_scope(actor: User, enterprise: Enterprise) -> None:
    """Staff outside the enterprise's region get the same "not found" as for
    an enterprise that does not exist."""
    if not authz.region_scope(actor, Perm.ARCHIVE_VIEW).covers(enterprise.region):
        raise selectors.ArchiveNotFound()


def _clean_purpose(purpose: str, detail: str) -> tuple[str, str]:
    if purpose not in {value for value, _label in STAFF_PURPOSES}:
        raise InvalidInput(_("Choose the purpose of opening the archive."), field="purpose")
    detail = " ".join(detail.split())
    if len(detail) > DETAIL_MAX:
        raise InvalidInput(
            _("Keep the reason under %(max)s characters."), field="detail", max=DETAIL_MAX
        )
    if purpose == Purpose.OTHER and not detail:
        raise InvalidInput(_("State the reason for opening the archive."), field="detail")
    return purpose, detail


@transaction.atomic
def archive_open(
    *,
    actor: User,
    enterprise: Enterprise,
    purpose: str,
    detail: str = "",
    ip: str | None = None,
) -> ArchiveAccess:
    """Staff open an enterprise's archive for a stated purpose (HM 6.3: no
    use without authorisation). Only within the actor's ARCHIVE_VIEW region
    scope; the opening is valid for OPENING_MINUTES, logged for the
    enterprise and audited ("archive.open")."""
    _require_scope(actor, enterprise)
    purpose, detail = _clean_purpose(purpose, detail)
    role, organisation = selectors.staff_position(actor, enterprise.region)
    access = ArchiveAccess.objects.create(
        enterprise=enterprise,
        user=actor,
        kind=AccessKind.OPEN,
        purpose=purpose,
        detail=detail,
        role=role,
        organisation=organisation,
        ip=ip,
    )
    audit_record(
        action="archive.open",
        actor=actor,
        obj=enterprise,
        changes={"purpose": purpose, "detail": detail, "access": access.pk},
    )
    return access


@transaction.atomic
def archive_refusal_record(*, actor: User, enterprise_id: int) -> None:
    """Audit an attempt to open an archive outside one's scope ("archive.refused").

    Called before the "not found" answer goes out, in its own transaction,
    so the attempt stays on record although the request fails.
    """
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    audit_record(
        action="archive.refused",
        actor=actor,
        obj=enterprise,
        changes={"enterprise_id": enterprise_id},
    )


@transaction.atomic
def archive_export(
    *,
    actor: User,
    enterprise: Enterprise,
    opening: ArchiveAccess | None = None,
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> ArchiveAccess:
    """Record an export of the archive to PDF ("archive.export").

    Without ``opening`` the actor must be an active member of the enterprise
    (its own copy). Staff pass their still valid opening made with the
    purpose "export" (HM 6.3); the export is logged for the enterprise.
    """
    now = now or timezone.now()
    if opening is None:
        if not selectors.is_active_member(user=actor, enterprise=enterprise):
            raise selectors.ArchiveNotFound()
        fields: dict[str, Any] = {"purpose": Purpose.OWN_COPY, "detail": "", "by_member": True}
    else:
        _require_scope(actor, enterprise)
        valid = (
            opening.user_id == actor.pk
            and opening.enterprise_id == enterprise.pk
            and opening.kind == AccessKind.OPEN
            and opening.purpose == Purpose.EXPORT
            and opening.at >= now - dt.timedelta(minutes=OPENING_MINUTES)
        )
        if not valid:
            raise ExportNeedsPurpose(minutes=OPENING_MINUTES)
        role, organisation = selectors.staff_position(actor, enterprise.region)
        fields = {
            "purpose": Purpose.EXPORT,
            "detail": opening.detail,
            "role": role,
            "organisation": organisation,
        }
    access = ArchiveAccess.objects.create(
        enterprise=enterprise, user=actor, kind=AccessKind.EXPORT, at=now, ip=ip, **fields
    )
    audit_record(
        action="archive.export",
        actor=actor,
        obj=enterprise,
        changes={"purpose": access.purpose, "access": access.pk, "by_member": access.by_member},
    )
    return access
