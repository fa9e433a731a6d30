"""Embedded profile: one process, SQLite in WAL mode, tasks in-process.

What `scripts/run` starts. The secret key is generated once into the data
directory so sessions survive restarts without any configuration.
"""

import secrets

from .base import *
from .base import DATA_DIR, SECRET_KEY

DATA_DIR.mkdir(parents=True, exist_ok=True)

if not SECRET_KEY:
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ONESTOP_PROFILE = "embedded"
