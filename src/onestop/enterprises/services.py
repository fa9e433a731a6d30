"""An enterprise's staff: the owner invites by mobile number, removes members
and transfers ownership; members act for the enterprise."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import User
from onestop.audit.services import audit_record
from onestop.core import crypto
from onestop.core.errors import InvalidInput, NotFound, PermissionDeniedError
from onestop.enterprises.models import Enterprise, Invitation, MemberRole, Membership
from onestop.notifications.services import notify

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class NotOwner(PermissionDeniedError):
    code = "not_owner"
    default_message = _("Only the enterprise's owner can do this.")


def _require_owner(actor: User, enterprise: Enterprise) -> None:
    if not Membership.objects.filter(
        enterprise=enterprise, user=actor, role=MemberRole.OWNER, removed_at__isnull=True
    ).exists():
        raise NotOwner()


@transaction.atomic
def member_invite(*, actor: User, enterprise: Enterprise, mobile: str) -> Invitation:
    """Invite the holder of a mobile number to act for the enterprise."""
    _require_owner(actor, enterprise)
    mobile = (mobile or "").replace(" ", "")
    if not _MOBILE.match(mobile):
        raise InvalidInput(_("Enter an 11-digit mainland mobile number."))
    index = crypto.blind_index(mobile, purpose="mobile")
    if Membership.objects.filter(
        enterprise=enterprise, user__mobile_index=index, removed_at__isnull=True
    ).exists():
        raise InvalidInput(_("This person is already a member."))
    if Invitation.objects.filter(
        enterprise=enterprise, mobile_index=index, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise InvalidInput(_("This number has already been invited."))
    invitation = Invitation.objects.create(
        enterprise=enterprise,
        mobile_index=index,
        masked_mobile=crypto.mask_mobile(mobile),
        invited_by=actor,
    )
    audit_record(
        actor=actor,
        action="enterprises.invite",
        obj=invitation,
        region=enterprise.region,
        changes={"mobile": invitation.masked_mobile},
    )
    invitee = User.objects.filter(mobile_index=index).first()
    if invitee is not None:
        notify(
            recipients=[invitee],
            kind="enterprises.invited",
            title=str(_("You are invited to act for %(name)s") % {"name": enterprise.name}),
            url="/enterprise/",
            channels_=["sms"],
        )
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation_id: int) -> Membership:
    """Accept an invitation addressed to the user's own mobile number."""
    invitation = (
        Invitation.objects.select_for_update(no_key=True)
        .select_related("enterprise")
        .filter(
            pk=invitation_id,
            mobile_index=user.mobile_index or "-",
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    if invitation is None:
        raise NotFound()
    if Membership.objects.filter(
        enterprise=invitation.enterprise, user=user, removed_at__isnull=True
    ).exists():
        raise InvalidInput(_("You are already a member."))
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership = Membership.objects.create(
        enterprise=invitation.enterprise, user=user, role=MemberRole.MEMBER
    )
    audit_record(
        actor=user, action="enterprises.join", obj=membership, region=invitation.enterprise.region
    )
    return membership


@transaction.atomic
def member_remove(*, actor: User, membership: Membership) -> Membership:
    membership = (
        Membership.objects.select_for_update(no_key=True)
        .select_related("enterprise", "user")
        .get(pk=membership.pk)
    )
    _require_owner(actor, membership.enterprise)
    if membership.role == MemberRole.OWNER:
        raise InvalidInput(_("Transfer ownership before leaving the enterprise."))
    if membership.removed_at is not None:
        raise InvalidInput(_("This person is no longer a member."))
    membership.removed_at = timezone.now()
    membership.save(update_fields=["removed_at"])
    audit_record(
        actor=actor,
        action="enterprises.remove_member",
        obj=membership,
        region=membership.enterprise.region,
        changes={"user": membership.user.get_username()},
    )
    return membership


@transaction.atomic
def ownership_transfer(*, actor: User, enterprise: Enterprise, to: Membership) -> Membership:
    """Make a member the owner; the old owner stays on as a member."""
    _require_owner(actor, enterprise)
    to = Membership.objects.select_for_update(no_key=True).get(pk=to.pk)
    if to.enterprise_id != enterprise.pk or to.removed_at is not None:
        raise InvalidInput(_("Ownership can only pass to a current member."))
    if to.role == MemberRole.OWNER:
        raise InvalidInput(_("This person is already the owner."))
    current = Membership.objects.select_for_update(no_key=True).get(
        enterprise=enterprise, role=MemberRole.OWNER, removed_at__isnull=True
    )
    # Demote first: the database allows one active owner per enterprise.
    current.role = MemberRole.MEMBER
    current.save(update_fields=["role"])
    to.role = MemberRole.OWNER
    to.save(update_fields=["role"])
    audit_record(
        actor=actor,
        action="enterprises.transfer_ownership",
        obj=enterprise,
        region=enterprise.region,
        changes={"to_user_id": to.user_id},
    )
    return to
