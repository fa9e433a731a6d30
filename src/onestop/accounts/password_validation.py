"""Password rules beyond Django's own (MLPS 2.0 level 2 complexity; WX 4.1.4).

Listed in AUTH_PASSWORD_VALIDATORS next to Django's length, common-password,
numeric and similarity checks.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s\-._]")


def character_classes(password: str) -> int:
    """How many of lower-case, upper-case, digit and symbol the password uses."""
    return sum(
        (
            any(ch.islower() for ch in password),
            any(ch.isupper() for ch in password),
            any(ch.isdigit() for ch in password),
            any(not ch.isalnum() for ch in password),
        )
    )


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case, upper-case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(min_classes)d of these: "
                    "lower-case letters, upper-case letters, digits and symbols."
                ),
                code="password_too_simple",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(min_classes)d of these: "
            "lower-case letters, upper-case letters, digits and symbols."
        ) % {"min_classes": self.min_classes}


class MobileNumberValidator:
    """The password must not contain the user's mobile number or its last 8 digits.

    Pass an unsaved User carrying the number when validating before the
    account exists (registration).
    """

    def validate(self, password: str, user: Any = None) -> None:
        digits = re.sub(r"\D", "", str(getattr(user, "mobile", "") or ""))
        if len(digits) < 8:
            return
        needles = {digits[-11:], digits[-8:]}
        haystacks = {password, _SEPARATORS.sub("", password)}
        if any(needle in haystack for needle in needles for haystack in haystacks):
            raise ValidationError(
                _("The password must not contain your mobile number."),
                code="password_contains_mobile",
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain your mobile number.")
