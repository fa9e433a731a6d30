"""Test profile: the database comes from DATABASE_URL (PostgreSQL pass) or is
SQLite; tasks run eagerly unless a test starts a real worker."""

from .base import *

SECRET_KEY = "test-only-not-secret"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
CELERY_TASK_ALWAYS_EAGER = True
ONESTOP_SMS_GATEWAY = "onestop.notifications.sms.MemorySmsGateway"
ONESTOP_PROFILE = "test"
# Fixed test keys (never used anywhere else).
ONESTOP_FIELD_KEYS = ["pmfbFKo6hWDRBw0XzE9-ROLwfIIDzgzLK9aGAWNgMXk="]
ONESTOP_INDEX_KEY = "test-index-key-not-secret"
# Off by default: a cached page would outlive the test that rendered it (the
# PostgreSQL pass shares one Redis between workers); the page-cache tests and
# the browser journeys turn it on with a key prefix of their own.
ONESTOP_PAGE_CACHE_SECONDS = 0
ONESTOP_STATISTICS_CACHE_SECONDS = 0  # likewise (the tests that check it turn it on)
# The database session store in both passes, so the pinned query counts
# (which include the session's query) are the same with and without Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
