"""SMS one-time codes: sending and checking (WX 7.1.1.1, WX 7.1.1.2).

Rules:

- a code is 6 random digits, valid for 5 minutes, and works once;
- a number gets at most one code a minute and ten a day (Asia/Shanghai
  days), whatever the purpose, which bounds SMS bombing and cost;
- sending a new code voids the older live codes of that number and purpose,
  so only the newest counts;
- the 5th wrong try voids the code.

The plain code exists only in the text handed to the gateway. The row keeps
an HMAC of it keyed with SECRET_KEY and a per-row salt: six digits are a
million values, so an unkeyed hash (even salted) is reversed by trying them
all, while a keyed one reveals nothing from a database copy alone.

A wrong try must be counted even though the caller then fails: callers that
run the check inside their own transaction catch SmsCodeError inside it and
re-raise it after the block commits (see services.user_register).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import secrets
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from onestop.accounts.models import SmsCode, SmsPurpose, User
from onestop.core import crypto
from onestop.core.errors import DomainError, InvalidInput
from onestop.notifications.sms import get_gateway

logger = logging.getLogger("onestop.accounts.sms")

CODE_DIGITS = 6
CODE_TTL_MINUTES = 5
CODE_TTL = dt.timedelta(minutes=CODE_TTL_MINUTES)
RESEND_AFTER = dt.timedelta(minutes=1)
DAILY_LIMIT = 10
MAX_WRONG_TRIES = 5
DAY_TZ = ZoneInfo("Asia/Shanghai")

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS_RE = re.compile(r"[\s-]")
_HMAC_SALT = "onestop.accounts.sms_codes"


class InvalidMobile(InvalidInput):
    code = "invalid_mobile"
    field = "mobile"
    default_message = _("Enter a mainland China mobile number: 11 digits starting with 1.")


class SmsTooSoon(DomainError):
    code = "sms_too_soon"
    status = 429
    field = "mobile"
    default_message = _(
        "A code was sent to this number less than a minute ago. "
        "Please wait %(seconds)s seconds before asking for another."
    )


class SmsDailyLimit(DomainError):
    code = "sms_daily_limit"
    status = 429
    field = "mobile"
    default_message = _(
        "This number has already received %(limit)s codes today, the most allowed. "
        "Please try again tomorrow."
    )


class SmsNotSent(DomainError):
    code = "sms_not_sent"
    status = 503
    field = "mobile"
    default_message = _("The text message could not be sent just now. Please try again later.")


class SmsCodeError(InvalidInput):
    """The code was not accepted; subclasses say why."""

    code = "sms_code_invalid"
    field = "code"
    default_message = _("The verification code is not valid.")


class SmsCodeMissing(SmsCodeError):
    code = "sms_code_missing"
    default_message = _(
        "No verification code has been sent to this number for this purpose. "
        "Please ask for a code first."
    )


class SmsCodeExpired(SmsCodeError):
    code = "sms_code_expired"
    default_message = _("The verification code has expired. Please ask for a new one.")


class SmsCodeUsed(SmsCodeError):
    code = "sms_code_used"
    default_message = _("The verification code has already been used. Please ask for a new one.")


class SmsCodeVoided(SmsCodeError):
    code = "sms_code_voided"
    default_message = _(
        "The verification code is no longer valid (too many wrong tries). Please ask for a new one."
    )


class SmsCodeWrong(SmsCodeError):
    code = "sms_code_wrong"
    default_message = _("The verification code is wrong. %(left)s tries left.")


def mobile_normalise(mobile: str) -> str:
    """The 11-digit number, or InvalidMobile. Spaces, dashes and +86 are dropped."""
    value = _SEPARATORS_RE.sub("", mobile or "")
    if value.startswith("+86"):
        value = value[3:]
    if not _MOBILE_RE.fullmatch(value):
        raise InvalidMobile()
    return value


def mobile_index(mobile: str) -> str:
    """The blind index of a normalised number (User.mobile_index, SmsCode.mobile_index)."""
    return crypto.blind_index(mobile, purpose="mobile")


def _purpose(purpose: str) -> SmsPurpose:
    try:
        return SmsPurpose(purpose)
    except ValueError as exc:
        raise InvalidInput(_("Unknown purpose of the code.")) from exc


def _hash(*, salt: str, index: str, purpose: str, code: str) -> str:
    digest = salted_hmac(f"{_HMAC_SALT}:{salt}", f"{index}:{purpose}:{code}", algorithm="sha256")
    return f"{salt}${digest.hexdigest()}"


def _matches(row: SmsCode, code: str) -> bool:
    salt, _sep, _digest = row.code_hash.partition("$")
    expected = _hash(salt=salt, index=row.mobile_index, purpose=row.purpose, code=code.strip())
    return constant_time_compare(expected, row.code_hash)


def _day_start(now: dt.datetime) -> dt.datetime:
    local = now.astimezone(DAY_TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _deliver(mobile: str, text: str, *, quiet: bool = False) -> None:
    try:
        get_gateway().send(mobile=mobile, text=text)
    except Exception as exc:
        # The text holds the code: log the masked number and the error only.
        logger.warning(
            "SMS code to %s not sent: %s", crypto.mask_mobile(mobile), type(exc).__name__
        )
        if not quiet:
            raise SmsNotSent() from None


def _message(*, purpose: SmsPurpose, code: str) -> str:
    text = _t(
        "Your %(purpose)s verification code is %(code)s, valid for %(minutes)s minutes. "
        "Staff will never ask for it: do not tell anyone."
    ) % {
        "purpose": purpose.label,
        "code": code,
        "minutes": CODE_TTL_MINUTES,
    }
    return f"【{settings.ONESTOP_PLATFORM_NAME}】{text}"


def sms_code_send(*, mobile: str, purpose: str) -> None:
    """Send a new code to ``mobile`` (WX 7.1.1.2: the mobile number is verified).

    Password-reset codes are only delivered to registered numbers, but the
    row, the limits and the answer are the same either way, so the answer
    never tells whether a number is registered (a failed delivery is only
    logged for them). The SMS goes out after commit; for other purposes a
    gateway failure is SmsNotSent (503), and the code still counts against
    the limits.
    """
    mobile = mobile_normalise(mobile)
    wanted = _purpose(purpose)
    index = mobile_index(mobile)
    now = timezone.now()
    day_start = _day_start(now)
    with transaction.atomic():
        # Lock this number's recent rows so that two concurrent requests for
        # one number queue here (PostgreSQL; SQLite serialises writers anyway).
        since = min(day_start, now - RESEND_AFTER)
        recent = list(
            SmsCode.objects.select_for_update(no_key=True)
            .filter(mobile_index=index, created_at__gte=since)
            .values_list("created_at", flat=True)
        )
        latest = max(recent, default=None)
        if latest is not None and now - latest < RESEND_AFTER:
            wait = RESEND_AFTER - (now - latest)
            raise SmsTooSoon(seconds=max(1, math.ceil(wait.total_seconds())))
        if sum(1 for created in recent if created >= day_start) >= DAILY_LIMIT:
            raise SmsDailyLimit(limit=DAILY_LIMIT)

        SmsCode.objects.filter(
            mobile_index=index, purpose=wanted, used_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        code = "".join(secrets.choice("0123456789") for _i in range(CODE_DIGITS))
        SmsCode.objects.create(
            mobile_index=index,
            purpose=wanted,
            code_hash=_hash(salt=secrets.token_hex(8), index=index, purpose=wanted, code=code),
            created_at=now,
            expires_at=now + CODE_TTL,
        )
        if wanted == SmsPurpose.PASSWORD_RESET:
            # Only registered numbers get the text, and a failed send is not
            # reported: an error only they could cause would tell them apart.
            if User.objects.filter(mobile_index=index).exists():
                text = _message(purpose=wanted, code=code)
                transaction.on_commit(partial(_deliver, mobile, text, quiet=True))
        else:
            transaction.on_commit(partial(_deliver, mobile, _message(purpose=wanted, code=code)))


def sms_code_check(*, mobile: str, purpose: str, code: str) -> None:
    """Accept ``code`` once, or raise an SmsCodeError saying why not.

    A wrong code is counted and the count committed before the error is
    raised; the 5th wrong try voids the code. Callers inside a transaction of
    their own must let that transaction commit on SmsCodeError (catch it
    inside, re-raise after), or the count is rolled back with them.
    """
    index = mobile_index(mobile_normalise(mobile))
    wanted = _purpose(purpose)
    failure: SmsCodeError
    with transaction.atomic():
        row = (
            SmsCode.objects.select_for_update(no_key=True)
            .filter(mobile_index=index, purpose=wanted)
            .order_by("-created_at", "-id")
            .first()
        )
        now = timezone.now()
        if row is None:
            raise SmsCodeMissing()
        if row.used_at is not None:
            raise SmsCodeUsed()
        if row.voided_at is not None:
            # A code replaced by a newer one is never the newest row, so a
            # voided newest row ran out of tries.
            raise SmsCodeVoided()
        if now >= row.expires_at:
            raise SmsCodeExpired()
        if _matches(row, code or ""):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return
        row.attempts += 1
        left = MAX_WRONG_TRIES - row.attempts
        if left <= 0:
            row.voided_at = now
            failure = SmsCodeVoided()
        else:
            failure = SmsCodeWrong(left=left)
        row.save(update_fields=["attempts", "voided_at"])
    raise failure


def sms_codes_purge(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete code rows past any use: expired, and older than the daily window."""
    cutoff = timezone.now() - older_than
    deleted, _rows = SmsCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted
