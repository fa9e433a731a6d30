"""Two-factor authentication for staff: TOTP devices and recovery codes (WX 4.1.2d, 4.1.4).

Everyone holding a workbench role (``authz.is_staff``) proves a second factor
before any workbench page: a code from an authenticator app (TOTP, RFC 6238)
or, when the phone is lost, one of ten single-use recovery codes. The devices
are django-otp's (``otp_totp``, ``otp_static``), which also throttle wrong
codes (exponential back-off per device). These services set devices up,
check codes and write the audit trail; views put the verified device into the
session (``django_otp.login``).

A failed check is recorded and committed before the error is raised, so
neither the throttle nor the audit row is rolled back with the failure.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32encode
from typing import Any
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from onestop.audit.services import audit_record
from onestop.core.errors import DomainError, InvalidTransition

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery codes"

_TOTP_SHAPE = re.compile(r"\d{6}")
_RECOVERY_SHAPE = re.compile(r"[a-z2-7]{8}")  # StaticToken.random_token(): 5 bytes, base32


class SecondFactorRejected(DomainError):
    code = "second_factor_rejected"
    status = 400
    default_message = _("The code is wrong, has expired or was already used.")


class SecondFactorThrottled(SecondFactorRejected):
    code = "second_factor_throttled"
    status = 429
    default_message = _("Too many wrong codes. Please try again after %(time)s.")

    def __init__(self, until: dt.datetime) -> None:
        self.until = until
        shown = formats.time_format(timezone.localtime(until), "H:i:s")
        super().__init__(None, time=shown)


# --- reads ------------------------------------------------------------------


def confirmed_totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_confirmed_totp(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def session_is_verified(user: Any) -> bool:
    """Whether this request's user passed the second factor in this session.

    ``is_verified`` is installed by django_otp's OTPMiddleware; a user object
    without it (e.g. just logged in during this request) is not verified.
    """
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def recovery_codes_left(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def totp_secret(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it when typed (base32)."""
    return b32encode(device.bin_key).decode().rstrip("=")


def totp_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI the QR code carries (Key Uri Format)."""
    issuer = settings.ONESTOP_PLATFORM_NAME.replace(":", "")
    label = quote(f"{issuer}:{device.user.get_username()}")
    query = urlencode(
        {
            "secret": totp_secret(device),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code, drawn here: no outside image service sees the secret."""
    return str(segno.make(text, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff"))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


# --- writes -----------------------------------------------------------------


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept across page loads.

    Only an account without a confirmed device may start one; replacing a
    device needs the old one verified first (or an administrator).
    """
    if has_confirmed_totp(user):
        raise InvalidTransition(_("Two-factor authentication is already set up for this account."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the device being set up with a code it shows; returns it and new recovery codes.

    Records ``auth.2fa_setup`` (or ``auth.2fa_failed``).
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None or has_confirmed_totp(user):
        raise InvalidTransition(_("Two-factor authentication is already set up for this account."))
    _check(user=user, device=device, code=normalise_code(code), step="setup")
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update(no_key=True).get(pk=device.pk)
        if has_confirmed_totp(user):
            raise InvalidTransition(
                _("Two-factor authentication is already set up for this account.")
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _recovery_codes_replace(user)
        audit_record(action="auth.2fa_setup", actor=user, obj=user, changes={"device": "totp"})
    return device, codes


def second_factor_verify(*, user: Any, code: str) -> Device:
    """Check a TOTP code or a recovery code; returns the device that accepted it.

    Six digits are a TOTP code, eight letters and digits a recovery code
    (used up on success). Records ``auth.2fa_verified`` (and
    ``auth.recovery_code_used``) or ``auth.2fa_failed``.
    """
    code = normalise_code(code)
    device: Device | None
    if _TOTP_SHAPE.fullmatch(code):
        device = confirmed_totp_device(user)
    elif _RECOVERY_SHAPE.fullmatch(code):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = None
    if device is None:
        _record_failure(user=user, step="verify", reason="not_a_code")
        raise SecondFactorRejected()
    _check(user=user, device=device, code=code, step="verify")
    method = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    with transaction.atomic():
        audit_record(action="auth.2fa_verified", actor=user, obj=user, changes={"method": method})
        if method == "recovery_code":
            audit_record(
                action="auth.recovery_code_used",
                actor=user,
                obj=user,
                changes={"left": recovery_codes_left(user)},
            )
    return device


def recovery_codes_regenerate(*, user: Any, code: str) -> list[str]:
    """New recovery codes for a verified user who types a current TOTP code again.

    The old codes stop working. Records ``auth.recovery_codes_regenerated``.
    """
    device = confirmed_totp_device(user)
    if device is None:
        raise InvalidTransition(_("Set up two-factor authentication first."))
    code = normalise_code(code)
    if not _TOTP_SHAPE.fullmatch(code):
        _record_failure(user=user, step="regenerate", reason="not_a_code")
        raise SecondFactorRejected()
    _check(user=user, device=device, code=code, step="regenerate")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        audit_record(action="auth.recovery_codes_regenerated", actor=user, obj=user)
    return codes


def _check(*, user: Any, device: Device, code: str, step: str) -> None:
    """Verify ``code`` on ``device`` under its throttle; commit, record and raise on failure."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update(no_key=True).get(pk=device.pk)
        allowed, info = locked.verify_is_allowed()
        accepted = allowed and locked.verify_token(code)
    if accepted:
        return
    if not allowed:
        until = (info or {}).get("locked_until") or timezone.now()
        _record_failure(user=user, step=step, reason="throttled")
        raise SecondFactorThrottled(until)
    _record_failure(user=user, step=step, reason="wrong_code")
    raise SecondFactorRejected()


def _record_failure(*, user: Any, step: str, reason: str) -> None:
    audit_record(
        action="auth.2fa_failed", actor=user, obj=user, changes={"step": step, "reason": reason}
    )


def _recovery_codes_replace(user: Any) -> list[str]:
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.confirmed = True
    device.throttle_reset(commit=False)
    device.save()
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return sorted(codes)
