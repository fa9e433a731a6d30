"""Production profile: PostgreSQL, Redis, Celery workers, gunicorn behind nginx.

Differs from embedded only through the environment: it refuses to start
without the variables a real deployment must set (see docs/deploy.md).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import (
    DATABASES,
    ONESTOP_FIELD_KEYS,
    ONESTOP_INDEX_KEY,
    REDIS_URL,
    SECRET_KEY,
    env,
)

for _name, _value in (
    ("SECRET_KEY", SECRET_KEY),
    ("REDIS_URL", REDIS_URL),
    ("ONESTOP_FIELD_KEYS", ",".join(ONESTOP_FIELD_KEYS)),
    ("ONESTOP_INDEX_KEY", ONESTOP_INDEX_KEY),
):
    if not _value:
        raise ImproperlyConfigured(f"production settings need {_name} in the environment")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("production settings need DATABASE_URL=postgres://…")

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only: redirect plain HTTP, and tell browsers to keep to HTTPS for a
# year (docs/deploy.md says how to lower it while trying a new host name).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

ONESTOP_PROFILE = "production"
