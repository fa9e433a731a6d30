"""Embedded profile: one process, SQLite in WAL mode, tasks in-process.

What `scripts/run` starts. The secret key is generated once into the data
directory so sessions survive restarts without any configuration.
"""

import secrets
from collections.abc import Callable

from cryptography.fernet import Fernet

from .base import *
from .base import DATA_DIR, ONESTOP_FIELD_KEYS, ONESTOP_INDEX_KEY, SECRET_KEY

DATA_DIR.mkdir(parents=True, exist_ok=True)


def _generated(name: str, make: Callable[[], str]) -> str:
    """A key made once and kept in the data directory (owner-only)."""
    key_file = DATA_DIR / name
    if not key_file.exists():
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = SECRET_KEY or _generated("secret_key", lambda: secrets.token_urlsafe(50))
ONESTOP_FIELD_KEYS = ONESTOP_FIELD_KEYS or [
    _generated("field_key", lambda: Fernet.generate_key().decode())
]
ONESTOP_INDEX_KEY = ONESTOP_INDEX_KEY or _generated("index_key", lambda: secrets.token_urlsafe(32))

ONESTOP_PROFILE = "embedded"
# No Celery beat here: the web process runs the periodic jobs (onestop.core.scheduler).
ONESTOP_INPROCESS_SCHEDULER = True
