"""One settings module, driven by environment variables.

No environment: a DEBUG demo on SQLite under var/ with a Celery broker that
needs no server (kombu's filesystem transport). DATABASE_URL selects
PostgreSQL, REDIS_URL selects Redis for Celery. DJANGO_ENV=production
refuses to start without SECRET_KEY, ALLOWED_HOSTS and a real database.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = ENV == "production"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


if PRODUCTION:
    missing = [
        name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            "Production mode needs these environment variables: " + ", ".join(missing)
        )
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("Production mode needs a PostgreSQL DATABASE_URL.")

DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") not in ("0", "false", "False")
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",  # WhiteNoise serves static files under runserver too
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "axes",
    "django_fsm",
    # two-factor sign-in (accounts/two_factor.py); before accounts, whose admin unregisters
    # their device admins
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "audit",
    "numbering",
    "workdays",
    "notifications",
    "documents",
    "applications",
    "reviews",
    "centers",
    "evaluations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.limits.RequestBodyLimitMiddleware",  # before anything reads the body
    "config.limits.QueryNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.StaffSessionMiddleware",
    "accounts.two_factor_gate.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "audit.middleware.RequestIPMiddleware",
    "audit.request_cache.RequestCacheMiddleware",
    "accounts.middleware.ContentSecurityPolicyMiddleware",
    "config.errors.SiteErrorPagesMiddleware",
]
# Django's technical error pages (DEBUG only) when a developer asks for them; otherwise the
# demo shows the site's Chinese 404/500 pages like production (config/errors.py).
DEBUG_TECHNICAL_ERRORS = os.environ.get("DEBUG_TECHNICAL_ERRORS", "0") in ("1", "true", "True")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["documents.templatetags.languages"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.roles",
                "notifications.context_processors.unread",
            ],
        },
    },
]

# Django's form renderer with inputs, selects and textareas written in Python (same markup)
FORM_RENDERER = "accounts.form_renderer.WrittenWidgets"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UnitModelBackend",  # ModelBackend with the user's unit
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
# The login form refuses a longer password before hashing anything.
LOGIN_PASSWORD_MAX_LENGTH = 4096

# Staff sessions (every role but applicant, and the admin site's staff; accounts/sessions.py)
# end after this many idle minutes and when the browser closes. Applicants keep
# SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Two-factor sign-in (TOTP, django-otp; accounts/two_factor*.py). Required for provincial
# officers, department reviewers, administrators and staff/superuser accounts when
# TWO_FACTOR_REQUIRED is on: on by default when DEBUG is off (production), off in the demo
# and the tests unless TWO_FACTOR_REQUIRED=1. Anyone may enrol from the account page; who
# has enrolled always signs in with the second factor.
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "0" if DEBUG else "1") in (
    "1",
    "true",
    "True",
)
OTP_TOTP_ISSUER = "山西省技术创新中心"
TWO_FACTOR_BACKUP_CODES = 10
# Failed second-factor codes (accounts/two_factor.py): (failures, seconds) per account and per
# real client; over the limit the code step refuses until the window ends.
TWO_FACTOR_RATE_PER_USER = (5, 1800)
TWO_FACTOR_RATE_PER_CLIENT = (20, 1800)

# Lockout after repeated failed logins (django-axes, accounts/lockout.py): an address is
# locked after AXES_FAILURE_LIMIT failures whatever the usernames; a username after
# AXES_USERNAME_FAILURE_LIMIT failures whatever the addresses. Counts in the database.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_USERNAME_FAILURE_LIMIT = int(os.environ.get("AXES_USERNAME_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_HANDLER = "accounts.lockout.TieredLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "audit.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "accounts.lockout.axes_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# The client address behind a reverse proxy (audit/client_ip.py): X-Forwarded-For is read
# only from these proxies (addresses or networks), or from TRUSTED_PROXY_COUNT proxies.
# Neither set: REMOTE_ADDR. Behind the documented nginx on the same host: 127.0.0.1.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Throttles (accounts/throttle.py): (attempts, seconds) per real client and per target.
PASSWORD_RESET_RATE_PER_CLIENT = (5, 3600)
PASSWORD_RESET_RATE_PER_EMAIL = (3, 3600)
REGISTRATION_RATE_PER_CLIENT = (10, 3600)
REGISTRATION_RATE_PER_TARGET = (10, 3600)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
# Uploaded files are private: served only through views that check permission.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# No URL pattern serves MEDIA_URL; it is set (not None) only because Django's
# live test server wraps every request in a media handler that needs a str.
MEDIA_URL = "/private-media/"
# Static files (config/storage.py): hashed names, gzip/Brotli copies, far-future caching, all
# served by WhiteNoise once `collectstatic` ran (make run and deployment run it). The test
# suite turns it off (STATIC_MANIFEST=0, tests/plain_static.py): the live test server serves
# the source files by their plain names.
STATIC_MANIFEST = os.environ.get("STATIC_MANIFEST", "1") not in ("0", "false", "False")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "config.storage.StaticStorage"
        if PRODUCTION or STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Request bodies: uploads up to FILE_UPLOAD_MAX_MEMORY_SIZE stay in memory, larger ones go to a
# temporary file; form data without files is capped by DATA_UPLOAD_MAX_MEMORY_SIZE (Django
# answers 400). A request whose body exceeds UPLOAD_MAX_BYTES is refused with 413 before it is
# read (config.limits). Keep nginx's client_max_body_size at the same value (README).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# Imports (expert pool): rows are streamed and bounded; see reviews.imports.
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_COLS = 50
IMPORT_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@kjt.shanxi.invalid")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Celery: Redis when REDIS_URL is set, otherwise a broker that needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# /healthz asks the broker at most this often per process and remembers the answer meanwhile.
HEALTHZ_BROKER_SECONDS = float(os.environ.get("HEALTHZ_BROKER_SECONDS", "5"))
# The shared cache (throttle counters): Redis when REDIS_URL is set (CACHE_URL overrides it),
# otherwise files under var/cache that every local process shares. Never per-process memory.
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "sxtic",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Rendered template fragments that depend only on what their cache key names (the navigation
# items: language, roles, page, badge count): in each process's memory, so a fragment costs
# no round trip and a deploy (new processes) never serves one of the old templates.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic tasks (Celery beat). Each task takes no arguments, calls a service and is idempotent.
CELERY_BEAT_SCHEDULE = {
    "reviews-score-reminders": {
        "task": "reviews.tasks.send_score_reminders",
        "schedule": crontab(minute=0, hour="8-18"),
    },
    "centers-designate-due": {
        "task": "centers.tasks.designate_due",
        "schedule": crontab(minute="5,35"),
    },
    "centers-remind-waiting": {
        "task": "centers.tasks.remind_waiting",
        "schedule": crontab(minute=30, hour=8),
    },
    "evaluations-open-due": {
        "task": "evaluations.tasks.open_due_evaluations",
        "schedule": crontab(minute=15, hour=7),
    },
    "accounts-warm-my-tasks": {  # after the evaluations are opened, before the working day
        "task": "accounts.tasks.warm_my_tasks",
        "schedule": crontab(minute=30, hour=7),
    },
}

# Three-year evaluations (Art. 14): opened this many days before the cycle's end; the
# default deadlines of a commission; the grace after a missed self-report deadline before the
# province may revoke for non-submission; the rectification period the decision form offers.
EVALUATIONS_OPEN_WINDOW_DAYS = int(os.environ.get("EVALUATIONS_OPEN_WINDOW_DAYS", "90"))
EVALUATIONS_SELF_REPORT_DAYS = int(os.environ.get("EVALUATIONS_SELF_REPORT_DAYS", "60"))
EVALUATIONS_REVIEW_DAYS = int(os.environ.get("EVALUATIONS_REVIEW_DAYS", "60"))
EVALUATIONS_NON_SUBMISSION_GRACE_DAYS = int(
    os.environ.get("EVALUATIONS_NON_SUBMISSION_GRACE_DAYS", "30")
)
EVALUATIONS_RECTIFICATION_DAYS = int(os.environ.get("EVALUATIONS_RECTIFICATION_DAYS", "365"))

# Change requests (Art. 15) waiting longer than this many working days remind their desk.
CENTER_REMINDER_WORKING_DAYS = int(os.environ.get("CENTER_REMINDER_WORKING_DAYS", "5"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "no_traceback_for_4xx": {"()": "config.logging.NoTracebackForClientErrors"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" logger, whose own console handler (DEBUG)
        # printed every record a second time on top of the root handler.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # A 403/404 is one line, without the traceback of the PermissionDenied / Http404.
        "django.request": {"filters": ["no_traceback_for_4xx"]},
        # The filesystem broker has no host; kombu warns about that on every connection.
        "kombu.connection": {"level": "ERROR"},
    },
}

# Used by the interface: the names that appear in documents and pages.
PROVINCE_NAME = "山西省"
ST_DEPARTMENT_NAME = "山西省科学技术厅"
DOC_NUMBER_PREFIX = os.environ.get("DOC_NUMBER_PREFIX", "晋科发")

# Annual reports of designated centers (centers.models_reports): the report on year Y is due
# on this (month, day) of year Y + 1.
CENTERS_ANNUAL_REPORT_DEADLINE = (3, 31)
# The beat (centers.tasks.remind_waiting) reminds a center's staff of an annual report not yet
# submitted once its deadline is at most this many calendar days away.
CENTERS_REPORT_REMIND_DAYS_BEFORE = 30

# List exports (accounts/exports.py): a filtered list of more rows than this is written by
# the Celery task accounts.tasks.run_export and offered in My tasks when ready.
EXPORT_ASYNC_ROWS = int(os.environ.get("EXPORT_ASYNC_ROWS", "2000"))
# The navigation badge's task count is cached per user this long (accounts/inbox.py); every
# change makes them stale (My tasks gathers again only what read it: accounts/inbox_topics.py).
INBOX_COUNT_SECONDS = int(os.environ.get("INBOX_COUNT_SECONDS", "60"))
# Each task provider's part of My tasks is cached per user this long at most, until what it
# reads changes, the day changes or the user's roles or units do (accounts/inbox_topics.py).
INBOX_TASKS_SECONDS = int(os.environ.get("INBOX_TASKS_SECONDS", str(24 * 3600)))
# checks every cached slice of My tasks against a fresh one (tests of the providers' topics)
INBOX_VERIFY = False
