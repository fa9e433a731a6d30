"""Writes to accounts and role assignments."""

from __future__ import annotations

import secrets
import string

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onestop.accounts import authz, selectors
from onestop.accounts.models import (
    Consent,
    PrivacyNotice,
    Role,
    RoleAssignment,
    SmsPurpose,
    User,
    UserKind,
)
from onestop.accounts.sms_codes import SmsCodeError, mobile_index, mobile_normalise, sms_code_check
from onestop.audit import context as audit_context
from onestop.audit.services import audit_record
from onestop.core.errors import InvalidInput
from onestop.notifications.services import notify
from onestop.regions.models import Region, RegionLevel

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
    assignment = RoleAssignment.objects.select_for_update(no_key=True).get(pk=assignment.pk)
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


# Registration and password reset by SMS code (WX 7.1.1.1, WX 7.1.1.2).

DISPLAY_NAME_MIN, DISPLAY_NAME_MAX = 2, 30
_USERNAME_ALPHABET = string.ascii_lowercase + string.digits
_REGISTRABLE_KINDS = {UserKind.INDIVIDUAL, UserKind.ENTERPRISE}
_REGISTRABLE_LEVELS = {RegionLevel.CITY, RegionLevel.DISTRICT}


class MobileTaken(InvalidInput):
    code = "mobile_taken"
    status = 409
    field = "mobile"
    default_message = _(
        "This mobile number is already registered. Log in, or reset the password if you "
        "have forgotten it."
    )


class InvalidKind(InvalidInput):
    code = "invalid_kind"
    field = "kind"
    default_message = _("Choose an individual or an enterprise account.")


class InvalidRegion(InvalidInput):
    code = "invalid_region"
    field = "region"
    default_message = _("Choose a city or a district.")


class InvalidDisplayName(InvalidInput):
    code = "invalid_display_name"
    field = "display_name"
    default_message = _("The display name must be %(min)s to %(max)s characters long.")


class ConsentRequired(InvalidInput):
    code = "consent_required"
    field = "consent"
    default_message = _("Please read and accept the current privacy notice (version %(version)s).")


class WeakPassword(InvalidInput):
    code = "weak_password"
    field = "password1"

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__(" ".join(messages))


def _kind_clean(kind: str) -> UserKind:
    try:
        value = UserKind(kind)
    except ValueError as exc:
        raise InvalidKind() from exc
    if value not in _REGISTRABLE_KINDS:
        raise InvalidKind()
    return value


def _display_name_clean(display_name: str) -> str:
    value = (display_name or "").strip()
    if not DISPLAY_NAME_MIN <= len(value) <= DISPLAY_NAME_MAX:
        raise InvalidDisplayName(min=DISPLAY_NAME_MIN, max=DISPLAY_NAME_MAX)
    # Refused rather than escaped: names travel to SMS, exports and partners'
    # systems where our escaping does not follow them.
    if "<" in value or ">" in value:
        raise InvalidDisplayName(_("The display name may not contain < or >."))
    return value


def _password_check(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise WeakPassword([str(message) for message in exc.messages]) from exc


def _username_new() -> str:
    """A login-free username: people log in by mobile number, not by this."""
    for _attempt in range(20):
        candidate = "u" + "".join(secrets.choice(_USERNAME_ALPHABET) for _i in range(10))
        if not User.objects.filter(username=candidate).exists():
            return candidate
    raise RuntimeError("no free username after 20 tries")  # 36**10 names: not expected


def user_register(
    *,
    kind: str,
    mobile: str,
    code: str,
    password: str,
    display_name: str,
    region: Region,
    consent_version: str,
) -> User:
    """Register an individual or enterprise user (WX 7.1.1.1) on a verified mobile (WX 7.1.1.2).

    The SMS code is checked before the number is looked up, so only the
    holder of the phone learns that a number is already registered. The code
    is used up only if the account is created; a wrong code is counted even
    though registration fails (the error is raised after the commit). The
    user accepts the current privacy notice (PIPL art. 13-14), gets the role
    of their kind over the chosen city or district, and a welcome message.
    """
    user_kind = _kind_clean(kind)
    mobile = mobile_normalise(mobile)
    name = _display_name_clean(display_name)
    if region.level not in _REGISTRABLE_LEVELS:
        raise InvalidRegion()
    notice = selectors.privacy_notice_current()
    if notice is None or (consent_version or "").strip() != notice.version:
        raise ConsentRequired(version=notice.version if notice is not None else "—")
    user = User(
        username=_username_new(),
        display_name=name,
        kind=user_kind,
        mobile=mobile,
        mobile_index=mobile_index(mobile),
    )
    _password_check(password, user)
    user.set_password(password)

    failure: SmsCodeError | None = None
    with transaction.atomic():
        try:
            sms_code_check(mobile=mobile, purpose=SmsPurpose.REGISTER, code=code)
        except SmsCodeError as exc:
            failure = exc  # leave the block normally so the wrong try is committed
        else:
            _user_register_save(user=user, region=region, notice=notice)
    if failure is not None:
        raise failure
    return user


def _user_register_save(*, user: User, region: Region, notice: PrivacyNotice) -> None:
    if User.objects.filter(mobile_index=user.mobile_index).exists():
        raise MobileTaken()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same number registered a moment ago
        if User.objects.filter(mobile_index=user.mobile_index).exists():
            raise MobileTaken() from exc
        raise
    Consent.objects.create(user=user, notice=notice, ip=audit_context.get().ip)
    role_grant(actor=user, user=user, role=Role(user.kind), region=region)
    audit_record(
        actor=user,
        action="accounts.register",
        obj=user,
        region=region,
        changes={"kind": user.kind, "region": region.code, "privacy_notice": notice.version},
    )
    notify(
        recipients=[user],
        kind="accounts.welcome",
        title=gettext("Welcome to %(platform)s") % {"platform": settings.ONESTOP_PLATFORM_NAME},
        body=gettext(
            "Your account is ready. Services that need your real name will ask you to "
            "complete real-name verification first."
        ),
        url=reverse("accounts:me"),
    )


def password_reset(*, mobile: str, code: str, new_password: str) -> None:
    """Set a new password after an SMS code (purpose password_reset).

    Never tells whether the number is registered: codes are only delivered to
    registered numbers (sms_codes.sms_code_send), so for any other number the
    answer is a wrong or missing code, as for a registered one. Other sessions
    of the user end, since their password hash changes.
    """
    mobile = mobile_normalise(mobile)
    _password_check(new_password, None)  # the rules that need no user, before the code
    failure: SmsCodeError | None = None
    with transaction.atomic():
        try:
            sms_code_check(mobile=mobile, purpose=SmsPurpose.PASSWORD_RESET, code=code)
        except SmsCodeError as exc:
            failure = exc  # leave the block normally so the wrong try is committed
        else:
            _password_reset_save(mobile=mobile, new_password=new_password)
    if failure is not None:
        raise failure


def _password_reset_save(*, mobile: str, new_password: str) -> None:
    user = (
        User.objects.select_for_update(no_key=True)
        .filter(mobile_index=mobile_index(mobile))
        .first()
    )
    if user is None:  # a code is never delivered to such a number: only a guess gets here
        raise SmsCodeError()
    _password_check(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # Proving the phone lifts the account's lockout: the failures recorded
    # against this account are forgotten (failures against other accounts,
    # from any address, still count).
    axes_reset(username=user.get_username())
    audit_record(actor=user, action="accounts.password_reset", obj=user)
    notify(
        recipients=[user],
        kind="accounts.password_reset",
        title=gettext("Your password was changed"),
        body=gettext(
            "The password of your account was reset with a code sent to your mobile. "
            "If this was not you, call the service phone at once."
        ),
    )
