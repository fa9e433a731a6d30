"""The review rules: deadlines, transitions, validation of what is submitted."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from onestop.accounts import authz
from onestop.accounts.models import Role, User
from onestop.core.errors import InvalidInput, InvalidTransition
from onestop.enterprises.models import (
    Enterprise,
)
from onestop.regions.models import Region
from onestop.verification.models import (
    Application,
    ApplicationStatus,
)

REVIEW_WORKING_DAYS = 3  # WX 7.1.1.5
SLA_KIND = "verification_review"

TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.SUBMITTED: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    ApplicationStatus.REJECTED: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.APPROVED: set(),
}

_PLAIN_TEXT = re.compile(r"^[^<>{}\\]+$")


def can_decide(application: Application) -> bool:
    return ApplicationStatus.APPROVED in TRANSITIONS[application.status]


def can_resubmit(application: Application) -> bool:
    return ApplicationStatus.SUBMITTED in TRANSITIONS[application.status]


class AlreadyUnderReview(InvalidTransition):
    code = "already_under_review"
    default_message = _("An application of this type is already under review.")


class AlreadyVerified(InvalidTransition):
    code = "already_verified"
    default_message = _("This has already been verified.")


# --- validation -----------------------------------------------------------


def clean_text(value: str, *, label: str, low: int, high: int) -> str:
    value = (value or "").strip()
    if not low <= len(value) <= high or not _PLAIN_TEXT.match(value):
        raise InvalidInput(
            _("%(label)s must be %(low)s to %(high)s characters of plain text."),
            label=label,
            low=low,
            high=high,
        )
    return value


def validate_id_number(value: str) -> str:
    """A mainland resident ID number with a correct check digit (GB 11643)."""
    try:
        return str(ric.validate(value))
    except StdnumError as exc:
        raise InvalidInput(_("The ID number is not valid (check digit mismatch).")) from exc


def validate_uscc(value: str) -> str:
    """A unified social credit code with a correct check character (GB 32100)."""
    try:
        return str(uscc.validate(value))
    except StdnumError as exc:
        raise InvalidInput(
            _("The unified social credit code is not valid (check character mismatch).")
        ) from exc


def home_region(user: User) -> Region:
    for assignment in authz.assignments(user):
        if assignment.role in (Role.INDIVIDUAL, Role.ENTERPRISE) and assignment.region:
            return assignment.region
    raise InvalidInput(_("Your account has no region; please contact the service center."))


def add_one_month(day: dt.date) -> dt.date:
    """The same day next month, or that month's last day (31 Jan → 28/29 Feb)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def latest_payload(application: Application) -> dict[str, Any]:
    revision = application.revisions.order_by("-number").first()
    return json.loads(revision.payload) if revision else {}


def enterprise_of(application: Application) -> Enterprise:
    if application.enterprise is None:  # enterprise and name-change applications always have one
        raise RuntimeError(f"application {application.pk} has no enterprise")
    return application.enterprise
