"""Where document files live: a FileSystemStorage under PRIVATE_MEDIA_ROOT.

Layout::

    PRIVATE_MEDIA_ROOT/
        incoming/<token>.<ext>   written by document_store, not yet committed
        2025/06/<token>.<ext>    published after the creating transaction commits

Nothing here is served by the web server; files are 0600, directories 0700.
The storage is built on each use so a changed PRIVATE_MEDIA_ROOT (tests,
``override_settings``) takes effect at once; it is a cheap object.
"""

from __future__ import annotations

import os
import posixpath
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.storage import FileSystemStorage

INCOMING = "incoming"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(
        location=settings.PRIVATE_MEDIA_ROOT,
        base_url=None,
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def new_storage_name(extension: str, *, now: datetime) -> str:
    """A fresh random name in this month's directory (China time)."""
    local = now.astimezone(SHANGHAI)
    return f"{local:%Y}/{local:%m}/{secrets.token_hex(16)}.{extension}"


def staged_name(storage_name: str) -> str:
    return posixpath.join(INCOMING, posixpath.basename(storage_name))


def publish(storage: FileSystemStorage, storage_name: str) -> None:
    """Move a staged file to its final place (atomic rename, same file system)."""
    final = storage.path(storage_name)
    os.makedirs(os.path.dirname(final), mode=0o700, exist_ok=True)
    os.replace(storage.path(staged_name(storage_name)), final)
