"""Writes to accounts and role assignments."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz
from onestop.accounts.models import Role, RoleAssignment, User
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput
from onestop.regions.models import Region

# Roles held over the whole installation may have no region; all others need one.
_GLOBAL_ROLES = {Role.SYSADMIN, Role.AUTHORITY}
_SCOPED_ROLES = {Role.STATION_STAFF, Role.INSTITUTION_STAFF}


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    region: Region | None,
    scope: models.Model | None = None,
) -> RoleAssignment:
    """Give ``user`` a role over a region subtree (and one station or institution)."""
    try:
        role = Role(role)
    except ValueError as exc:
        raise InvalidInput(_("Unknown role: %(role)s"), role=str(role)[:40]) from exc
    if region is None and role not in _GLOBAL_ROLES:
        raise InvalidInput(_("This role must be limited to a region."))
    if scope is not None and role not in _SCOPED_ROLES:
        raise InvalidInput(_("Only station and institution staff belong to one organisation."))
    scope_type = ContentType.objects.get_for_model(scope) if scope is not None else None
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        region=region,
        scope_type=scope_type,
        scope_id=str(scope.pk) if scope is not None else "",
        revoked_at=None,
        defaults={"granted_by": actor},
    )
    authz.forget(user)
    audit_record(
        actor=actor,
        action="accounts.role_grant",
        obj=assignment,
        region=region,
        changes={
            "user": user.get_username(),
            "role": role,
            "region": region.code if region else "",
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    authz.forget(assignment.user)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.revoked_at is not None:
        raise InvalidInput(_("This role has already been revoked."))
    assignment.revoked_at = timezone.now()
    assignment.save(update_fields=["revoked_at"])
    authz.forget(assignment.user)
    audit_record(
        actor=actor,
        action="accounts.role_revoke",
        obj=assignment,
        region=assignment.region,
        changes={"user": assignment.user.get_username(), "role": assignment.role},
    )
    return assignment


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, password: str, display_name: str = "", email: str = ""
) -> User:
    if User.objects.filter(username=username).exists():
        raise InvalidInput(_("The username %(username)s is taken."), username=username)
    user = User.objects.create_user(
        username=username, password=password, display_name=display_name, email=email
    )
    audit_record(actor=actor, action="accounts.user_create", obj=user)
    return user
