"""Reads of accounts: users by mobile number, the privacy notice, one's own account."""

from __future__ import annotations

import datetime as dt

from axes.models import AccessAttempt
from django.db.models import Max, Q
from django.utils import timezone

from onestop.accounts import authz
from onestop.accounts.models import PrivacyNotice, RoleAssignment, User
from onestop.accounts.sms_codes import InvalidMobile, mobile_index, mobile_normalise


def user_by_mobile(*, mobile: str) -> User | None:
    """The user registered with this number (found by its blind index), or None."""
    try:
        index = mobile_index(mobile_normalise(mobile))
    except InvalidMobile:
        return None
    return User.objects.filter(mobile_index=index).first()


def privacy_notice_current() -> PrivacyNotice | None:
    """The newest notice already published: the one new consents must name."""
    return PrivacyNotice.objects.filter(published_at__lte=timezone.now()).first()


def my_role_assignments(*, user: User) -> list[RoleAssignment]:
    """The user's own active roles with their regions, through authz (one query)."""
    return sorted(authz.assignments(user), key=lambda a: (a.role, a.region_id or 0))


def lockout_until(
    *, username: str | None, ip: str | None, cool_off: dt.timedelta, now: dt.datetime
) -> dt.datetime:
    """When every failure counting against this account and address has aged out."""
    counted = Q(username=username) if username else Q(pk__in=[])
    if ip:
        counted |= Q(ip_address=ip)
    latest = AccessAttempt.objects.filter(counted, attempt_time__gte=now - cool_off).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    return (latest or now) + cool_off
