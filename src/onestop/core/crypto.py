"""Personal data at rest: field encryption, blind indexes and on-screen masks.

Encryption is Fernet (AES-128-CBC + HMAC-SHA256) with a key list from the
environment, ONESTOP_FIELD_KEYS (comma-separated, newest first): values are
written with the first key and read with any, so a new key can be put in front
and `onestop rotate_field_keys` re-encrypts the rows (MultiFernet.rotate).
Equality lookups and uniqueness (mobile numbers, ID numbers) use a blind
index: HMAC-SHA256 of the normalised value under ONESTOP_INDEX_KEY, which is
never rotated without re-indexing (PIPL; SPEC §5; HM 6.3).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = [key.strip() for key in settings.ONESTOP_FIELD_KEYS if key.strip()]
    if not keys:
        raise ImproperlyConfigured("ONESTOP_FIELD_KEYS is empty: personal data cannot be stored")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def reset_keys() -> None:
    """Forget the cached keys (after settings change: tests, rotation)."""
    _fernet.cache_clear()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "a stored value cannot be decrypted with ONESTOP_FIELD_KEYS (is a key missing?)"
        ) from exc


def rotate(token: str) -> str:
    """The same value, encrypted with the newest key."""
    return _fernet().rotate(token.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed hash for exact-match lookup; ``purpose`` keeps indexes apart."""
    normalised = value.strip().upper()
    message = f"{purpose}:{normalised}".encode()
    return hmac.new(settings.ONESTOP_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column stored encrypted; the Python value is the plain text.

    It cannot be searched or ordered in SQL: pair it with a blind-index column
    for lookups.
    """

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))


def mask_mobile(mobile: str) -> str:
    """138****1234"""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return f"{mobile[:3]}****{mobile[-4:]}"


def mask_id_number(number: str) -> str:
    """1101**********002X: the first and last four characters only."""
    if len(number) <= 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str) -> str:
    """张** : the family name only (a compound surname shows its first character)."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
