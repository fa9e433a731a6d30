"""Settings shared by every profile; the one place that reads the environment.

Profiles (embedded, production, test) only change defaults and switch on what
their environment needs. See docs/architecture.md.
"""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
import environ
from django.utils.translation import gettext_lazy as _

from onestop.core.schedule import beat_schedule

# Lets admin and queryset classes be subscripted at run time (ModelAdmin[Region]).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/onestop

env = environ.Env()

# Where the embedded profile keeps its database, uploads and logs.
DATA_DIR = Path(env.str("ONESTOP_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "onestop.core.admin_site.OneStopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves its Swagger UI from local static files, never a CDN
    "onestop.core",
    "onestop.regions",
    "onestop.accounts",
    "onestop.audit",
    "onestop.notifications",
    "onestop.catalog",
    "onestop.documents",
    "onestop.enterprises",
    "onestop.verification",
    "onestop.stations",
    "onestop.institutions",
    "onestop.experts",
    "onestop.search",
    "onestop.transfer",
    "onestop.demands",
    "onestop.orders",
    "onestop.fieldwork",
    "onestop.evaluations",
    "onestop.complaints",
    "onestop.supervision",
    "onestop.reporting",
    "onestop.archive",
    "onestop.summaries",
    "onestop.monitoring",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "onestop.web",
    "onestop.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "onestop.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "onestop.web.middleware.ChineseFirstLocaleMiddleware",
    # A first visit to a cached public page is answered here (onestop.core.pagecache).
    "onestop.core.pagecache.PageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "onestop.core.middleware.DomainErrorMiddleware",
    "onestop.accounts.middleware.SessionTimeoutMiddleware",
    "onestop.audit.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into its page
]

ROOT_URLCONF = "onestop.config.urls"
WSGI_APPLICATION = "onestop.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onestop.web.context_processors.platform",
                "onestop.workbench.context_processors.permissions",
            ],
        },
    },
]

_default_db = f"sqlite:///{DATA_DIR / 'onestop.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_default_db)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on busy_timeout instead of failing on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Login by username or mobile number (onestop.accounts.backends); axes first so
# a locked account or address is refused before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "onestop.accounts.backends.UsernameOrMobileBackend",
]
# MLPS 2.0 level 2 password complexity: 8+ characters, three of four classes,
# not a common password, not the user's own mobile number.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "onestop.accounts.password_validation.CharacterClassesValidator",
        "OPTIONS": {"min_classes": 3},
    },
    {"NAME": "onestop.accounts.password_validation.MobileNumberValidator"},
]

# Lockout (django-axes): 5 failures lock the account (whichever address they
# come from) and, separately, the address (whichever accounts it tries) for
# 15 minutes. The address is the one the audit trail records (REMOTE_ADDR, or
# X-Real-IP from our nginx), never X-Forwarded-For.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Refused attempts during a lockout do not push its end back, so the time the
# lockout page names stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "onestop.accounts.backends.LockoutHandler"
AXES_USERNAME_CALLABLE = "onestop.accounts.backends.lockout_username"
AXES_CLIENT_IP_CALLABLE = "onestop.audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "onestop.accounts.views.lockout_response"

# Two-factor for staff (django-otp): wrong codes slow the next try down
# exponentially (1 s, 2 s, 4 s …) per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# System administrators may delete a lost device in the admin (the user then
# sets up a new one) but never see anyone's secret key or recovery codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions end after 30 idle minutes and 12 hours after login at the latest
# (onestop.accounts.middleware.SessionTimeoutMiddleware).
ONESTOP_SESSION_IDLE_SECONDS = env.int("ONESTOP_SESSION_IDLE_SECONDS", default=30 * 60)
ONESTOP_SESSION_ABSOLUTE_SECONDS = env.int("ONESTOP_SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = min(
    env.int("SESSION_COOKIE_AGE", default=ONESTOP_SESSION_ABSOLUTE_SECONDS),
    ONESTOP_SESSION_ABSOLUTE_SECONDS,
)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Private uploads live outside any served path; views stream them after checks.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))
# Uploads (onestop.documents): size limit and stored uploads per user per China day.
ONESTOP_UPLOAD_MAX_BYTES = env.int("ONESTOP_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
ONESTOP_UPLOADS_PER_DAY = env.int("ONESTOP_UPLOADS_PER_DAY", default=50)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@onestop-qi.local")

# Tasks: with REDIS_URL, Celery workers on Redis; without it, tasks run
# in-process right after the transaction commits (the embedded default).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs (onestop.core.schedule): Celery beat in production
# (`onestop worker --beat`); the embedded profile runs them in-process.
CELERY_BEAT_SCHEDULE = beat_schedule()
ONESTOP_INPROCESS_SCHEDULER = False

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With Redis, sessions are read from the cache (one query less per signed-in
# request) and still written through to the database.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# The platform's face. Defaults follow the Liuzhou profile (LZ 6.3.2):
# blue C100 M95 Y29 K0 and red C0 M100 Y100 K0, converted to sRGB.
ONESTOP_PLATFORM_NAME = env.str("ONESTOP_PLATFORM_NAME", default="质量服务“一站式”平台")
ONESTOP_BRAND_PRIMARY = env.str("ONESTOP_BRAND_PRIMARY", default="#000DB5")
ONESTOP_BRAND_ACCENT = env.str("ONESTOP_BRAND_ACCENT", default="#FF0000")
ONESTOP_SERVICE_PHONE = env.str("ONESTOP_SERVICE_PHONE", default="12315")
ONESTOP_DEFAULT_REGION = env.str("ONESTOP_DEFAULT_REGION", default="450200")

# SMS: a dotted path to a gateway class (onestop.notifications.sms).
ONESTOP_SMS_GATEWAY = env.str(
    "ONESTOP_SMS_GATEWAY", default="onestop.notifications.sms.ConsoleSmsGateway"
)
# onestop.notifications.sms.HttpSmsGateway: where it POSTs, and its bearer token.
ONESTOP_SMS_HTTP_URL = env.str("ONESTOP_SMS_HTTP_URL", default="")
ONESTOP_SMS_HTTP_TOKEN = env.str("ONESTOP_SMS_HTTP_TOKEN", default="")

# Personal data at rest (onestop.core.crypto): Fernet keys, newest first, and
# the key of the blind indexes. Embedded generates both into DATA_DIR.
# Rate limits per scope (onestop.core.ratelimit), e.g. '{"search": "60/m",
# "upload": null}'; unset means the defaults there.
ONESTOP_RATE_LIMITS = env.json("ONESTOP_RATE_LIMITS", default=None)
# Anonymous visitors' public pages are served from the cache for up to this
# many seconds (onestop.core.pagecache; 0 turns the page cache off).
ONESTOP_PAGE_CACHE_SECONDS = env.int("ONESTOP_PAGE_CACHE_SECONDS", default=60)
# The statistics dashboard's rendered tables are kept until the next rollup
# (they cannot change before it), at most this long; 0 turns it off.
ONESTOP_STATISTICS_CACHE_SECONDS = env.int("ONESTOP_STATISTICS_CACHE_SECONDS", default=3600)
ONESTOP_FIELD_KEYS = env.list("ONESTOP_FIELD_KEYS", default=[])
ONESTOP_INDEX_KEY = env.str("ONESTOP_INDEX_KEY", default="")

# Audit rows are kept at least this long; nothing deletes them earlier.
ONESTOP_AUDIT_RETENTION_DAYS = max(180, env.int("ONESTOP_AUDIT_RETENTION_DAYS", default=180))

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

PLATFORM_LABELS = {"workbench": _("Workbench")}
