"""Reads of enterprises, always through the reader's own membership."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from onestop.accounts.models import User
from onestop.core.errors import NotFound
from onestop.enterprises.models import Enterprise, Invitation, MemberRole, Membership, NameChange


@dataclass(frozen=True)
class EnterpriseView:
    enterprise: Enterprise
    membership: Membership
    members: list[Membership]
    invitations: list[Invitation]

    @property
    def is_owner(self) -> bool:
        return self.membership.role == MemberRole.OWNER


def membership_of(*, user: User) -> Membership | None:
    """The user's active membership (a person acts for one enterprise)."""
    return (
        Membership.objects.filter(user=user, removed_at__isnull=True)
        .select_related("enterprise", "enterprise__region")
        .order_by("joined_at")
        .first()
    )


def enterprise_view(*, user: User) -> EnterpriseView:
    membership = membership_of(user=user)
    if membership is None:
        raise NotFound()
    enterprise = membership.enterprise
    members = list(
        enterprise.memberships.filter(removed_at__isnull=True)
        .select_related("user")
        .order_by("-role", "joined_at")
    )
    invitations = (
        list(enterprise.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True))
        if membership.role == MemberRole.OWNER
        else []
    )
    return EnterpriseView(enterprise, membership, members, invitations)


def member_of_enterprise(*, enterprise: Enterprise, membership_id: int) -> Membership:
    membership = (
        enterprise.memberships.filter(pk=membership_id, removed_at__isnull=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def invitations_for(*, user: User) -> QuerySet[Invitation]:
    """Open invitations addressed to the user's own mobile number."""
    if not user.mobile_index:
        return Invitation.objects.none()
    return Invitation.objects.filter(
        mobile_index=user.mobile_index, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("enterprise")


def name_history(*, enterprise: Enterprise) -> QuerySet[NameChange]:
    return enterprise.name_changes.order_by("-changed_on", "-id")
