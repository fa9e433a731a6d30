"""A person's rights over their data (PIPL arts. 45 and 47): a copy of it,
and closing the account."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import Consent, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything the platform holds about the user, for the user (audited)."""
    from onestop.documents.models import Document
    from onestop.enterprises.models import Membership
    from onestop.verification.models import Application, Identity

    identity = Identity.objects.filter(user=user).first()
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "kind": user.kind,
            "mobile": user.mobile,
            "email": user.email,
            "joined_at": _iso(user.date_joined),
        },
        "roles": [
            {"role": a.role, "region": a.region.code if a.region else None}
            for a in user.role_assignments.filter(revoked_at__isnull=True).select_related("region")
        ],
        "consents": [
            {"notice_version": c.notice.version, "accepted_at": _iso(c.accepted_at)}
            for c in Consent.objects.filter(user=user).select_related("notice")
        ],
        "identity": (
            {
                "real_name": identity.real_name,
                "id_number": identity.id_number,
                "verified_at": _iso(identity.verified_at),
            }
            if identity
            else None
        ),
        "applications": [
            {
                "kind": a.kind,
                "status": a.status,
                "submitted_at": _iso(a.submitted_at),
                "events": [
                    {
                        "to": e.to_status,
                        "at": _iso(e.created_at),
                        "reasons": e.reasons,
                        "note": e.note,
                    }
                    for e in a.events.all()
                ],
            }
            for a in Application.objects.filter(applicant=user).prefetch_related("events")
        ],
        "documents": [
            {"kind": d.kind, "uploaded_at": _iso(d.created_at), "url": d.get_absolute_url()}
            for d in Document.objects.filter(owner=user, deleted_at__isnull=True)
        ],
        "enterprises": [
            {"name": m.enterprise.name, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m in Membership.objects.filter(user=user, removed_at__isnull=True).select_related(
                "enterprise"
            )
        ],
        "notifications": [
            {"title": n.title, "body": n.body, "at": _iso(n.created_at)}
            for n in user.notifications.all()
        ],
    }
    audit_record(actor=user, action="accounts.data_export", obj=user)
    return data


@transaction.atomic
def account_deactivate(*, user: User) -> User:
    """Close the account at the user's request: no more logins from now on.

    Records required by law (the audit trail, decided applications) are kept
    for their retention periods; the account cannot sign in again. An owner
    whose enterprise still has other members must hand over first.
    """
    from onestop.enterprises.models import MemberRole, Membership

    owned = Membership.objects.filter(user=user, role=MemberRole.OWNER, removed_at__isnull=True)
    for membership in owned.select_related("enterprise"):
        others = membership.enterprise.memberships.filter(removed_at__isnull=True).exclude(
            user=user
        )
        if others.exists():
            raise InvalidInput(
                _("Transfer the ownership of %(name)s to another member first."),
                name=membership.enterprise.name,
            )
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    audit_record(actor=user, action="accounts.deactivate", obj=user)
    return user
