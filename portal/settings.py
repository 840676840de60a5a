"""Django settings for Hegui, read from environment variables only (see README)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from portal.env import MODES, Env, check_production

BASE_DIR = Path(__file__).resolve().parent.parent
env = Env(os.environ)

MODE = env.choice("HEGUI_ENV", MODES, "development")
PRODUCTION = MODE == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS")
# Addresses of the reverse proxies in front of the portal (IPs or CIDR networks): only their
# X-Forwarded-For / X-Forwarded-Proto headers are believed (portal/proxies.py).
TRUSTED_PROXIES = env.networks("TRUSTED_PROXIES")

if PRODUCTION:
    check_production(secret_key=SECRET_KEY, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
else:
    # A fixed key is fine for a laptop: it signs nothing that leaves the machine.
    SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-do-not-use-in-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "twofactor.apps.VerifiedAdminConfig",  # django.contrib.admin, verified sessions only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "portal",
    "regulations",
    "assessments",
    "supervision",
    "oversight",
    "notifications",
    "onboarding",
    "duedates",
    "twofactor.apps.TwoFactorConfig",
]

MIDDLEWARE = [
    "portal.middleware.LoopbackHealthCheckMiddleware",
    "portal.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLocaleMiddleware",
    "assessments.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "portal.middleware.RejectControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",  # Django's, with portal.sessions' offer
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.SessionIdleMiddleware",
    "portal.middleware.PrivacyHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "twofactor.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:  # gunicorn serves the collected static files itself; runserver does in development
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Standard widgets written in Python (same HTML as Django's templates, a fraction of the cost).
FORM_RENDERER = "portal.form_renderer.FastWidgetRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = env.url(
    "DATABASE_URL",
    schemes=("sqlite", "postgres", "postgresql"),
    default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
)
# Connections are kept for a minute and checked before reuse, so a database restart costs a
# reconnect, not a failed request (tests/faults/test_postgres_restart.py).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
# On PostgreSQL, parameters are bound by the server and a query a connection has run five times
# is kept prepared there: parsing and planning the joins of a page's access check cost more than
# running them. A pooler in transaction mode (PgBouncer) cannot keep prepared statements:
# DATABASE_PREPARED_STATEMENTS=false binds on the client and prepares nothing, Django's default.
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and DATABASE_PREPARED_STATEMENTS
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered fragments of published content and frozen results (assessments/fragments.py,
# supervision/fragments.py, the result block). CACHE_URL (redis://…) shares them between the
# web processes in production; without it each process keeps its own in local memory.
CACHE_URL = env.url("CACHE_URL", schemes=("redis", "rediss"))
CACHES = {
    "default": {"BACKEND": "portal.cache.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# With a shared cache, sessions are read from it and written through to the database (a cache
# restart signs nobody out). Without one they stay in the database only: a per-process copy
# would keep a signed-out session alive in the other processes.
if CACHE_URL:
    # Django's cached_db, reading the signed-in user's cached entry in the same round trip.
    SESSION_ENGINE = "portal.sessions"
# The signed-in user of each request (with the regulator profile and whether they belong to
# an organisation) is read from the shared cache for this long, and dropped from it by every
# change to the user, the profile or a membership (portal/user_cache.py). Only with a shared
# cache: a per-process copy would not hear the changes made in another process.
USER_CACHE_SECONDS = 60 if CACHE_URL else 0
# Signed-in pages of an organisation's assessments (list, overview, section, result) are kept
# whole in the shared cache for this long, under a key that changes with everything they show
# (portal/page_cache.py). Only with a shared cache; 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", 3600 if CACHE_URL else 0)

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.auth.EmailBackend",  # e-mail compared without regard to case
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor sign-in (django-otp, twofactor/): anyone may add an authenticator app (TOTP) with
# ten single-use recovery codes; regulators and content admins must, when this is on (in
# production by default; off in development so the demo logins work without a phone).
TWO_FACTOR_REQUIRED_FOR_ROLES = env.bool("TWO_FACTOR_REQUIRED", default=PRODUCTION)
TWO_FACTOR_PENDING_SECONDS = 300  # between the password and the code
OTP_TOTP_ISSUER = "Hegui"

# Failed-login lock-out (django-axes): per account and per address (either trips it), so
# guessing one account from many addresses, or many accounts from one address, both stop.
# The account is the posted `username` field, lower-cased (portal/auth.py); the address is the
# client's, read through the trusted proxies (portal/proxies.py), so one client behind the
# proxy locks out itself, not everyone. A locked account answers 429 whatever the password.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.auth.axes_username"
AXES_CLIENT_IP_CALLABLE = "portal.proxies.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.views.locked_out"
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and htmx come from npm packages installed by the set-up (never a CDN, never copied in).
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Evidence files live outside any public path and are served only through a permission check.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
MEDIA_ROOT = PRIVATE_MEDIA_ROOT

# Days an invitation link works (assessments.services.member_invite).
INVITATION_DAYS = env.int("INVITATION_DAYS", 7, minimum=1)

# Uploads: no request body may be larger than the largest evidence file (20 MB) and its form;
# a bigger one is refused with 413 before any of it is read (assessments.middleware). Django's
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) still caps everything that is not a file.
REQUEST_MAX_BYTES = 20 * 1024 * 1024 + 256 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files are streamed to a temporary file

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_HOST = env.str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Hegui <noreply@localhost>")
# The portal's public address, before the path of every link in a mail.
SITE_URL = env.url("SITE_URL", schemes=("http", "https"), default="http://127.0.0.1:8000")
# Render a scored submission's PDF reports in the worker (the "reports" queue) right after
# scoring, so the first download is a stored file (assessments/reports.py). Off by default:
# without it a report is rendered at its first download and kept.
REPORTS_PRERENDER = env.bool("REPORTS_PRERENDER", False)

# Celery: with no broker configured, tasks run eagerly in the web process.
REDIS_URL = env.url("REDIS_URL", schemes=("redis", "rediss"))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Scoring tasks are short: let each process hold a few so it never waits on the broker between
# them (unacknowledged until done, so a lost worker's messages are still redelivered).
CELERY_WORKER_PREFETCH_MULTIPLIER = 4
# Keep the worker's database connection between tasks (Celery closes it after every task
# otherwise, ~13 ms each); portal/celery.py drops a connection that has failed or aged.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TASK_IGNORE_RESULT = True  # results live in the database; nobody waits on a task
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# The portal's own service level for deciding a self-assessment submission, in working days
# from the day it was submitted: shown to regulators as a due date with an "overdue" state.
# A setting of the operator, not a period set by law (README: Due dates).
REVIEW_SERVICE_LEVEL_WORKING_DAYS = env.int("REVIEW_SERVICE_LEVEL_WORKING_DAYS", 15, minimum=1)

# Every minute, re-enqueue submissions left unscored for more than five minutes (broker down at
# submit time, worker killed mid-task); scoring is idempotent, so a duplicate is harmless.
CELERY_BEAT_SCHEDULE = {
    "sweep-unscored-submissions": {
        "task": "assessments.tasks.sweep_unscored",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Mails: re-enqueue immediate notifications left unsent (broker down when they were
    # written), and send the daily digests at 08:00 in TIME_ZONE (CELERY_TIMEZONE).
    "sweep-unsent-notifications": {
        "task": "notifications.tasks.sweep_unsent",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Early warnings (oversight): recompute the rules every hour; a warning is stored once.
    "refresh-risk-warnings": {
        "task": "oversight.tasks.refresh_warnings",
        "schedule": crontab(minute=17),
        "options": {"expires": 3000},
    },
    # The dashboard's findings figures (oversight.tallies), counted ahead every ten minutes;
    # the page says when they were counted.
    "refresh-findings-tallies": {
        "task": "oversight.tasks.refresh_tallies",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Large exports (oversight): delete the stored files past their expiry.
    "purge-expired-exports": {
        "task": "oversight.tasks.purge_exports",
        "schedule": crontab(minute=43),
        "options": {"expires": 3000},
    },
    "send-notification-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=8, minute=0),
        "options": {"expires": 3600},
    },
    # Due-date reminders (before the date, and once it has passed), each sent once: at 07:30
    # so that an owner who takes the digest gets them in the 08:00 one.
    "send-due-reminders": {
        "task": "duedates.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=30),
        "options": {"expires": 3600},
    },
}

# Thresholds of the early-warning rules (oversight/rules.py Thresholds); the share rule
# compares the last OVERSIGHT_PERIOD_DAYS days with the same span before them.
OVERSIGHT_WARNINGS = {
    "index_drop": 5.0,
    "working_days": 10,
    "share_rise": 0.10,
    "min_submissions": 5,
}
OVERSIGHT_PERIOD_DAYS = 30
# An XLSX export of more rows than this is written by the worker into a stored file that only
# the requesting regulator can download, for OVERSIGHT_EXPORT_HOURS hours.
OVERSIGHT_EXPORT_STREAM_ROWS = env.int("OVERSIGHT_EXPORT_STREAM_ROWS", 5000, minimum=1)
OVERSIGHT_EXPORT_HOURS = env.int("OVERSIGHT_EXPORT_HOURS", 24, minimum=1)

# Signed out after this much inactivity (portal.middleware.SessionIdleMiddleware pushes the
# expiry forward while the user is active, at most once per refresh interval).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", 8 * 60, minimum=5) * 60
SESSION_IDLE_REFRESH_SECONDS = min(300, SESSION_COOKIE_AGE // 10)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
LANGUAGE_COOKIE_HTTPONLY = True  # read by the server only (portal.middleware)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
# Content-Security-Policy (django-csp 4): our own files only, no inline script or style, no
# eval, so injected markup cannot run. htmx is configured in base.html not to inject its
# indicator <style> nor to evaluate attributes; Bootstrap's icons are data: images in its CSS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
if TRUSTED_PROXIES:  # portal.middleware.TrustedProxyMiddleware drops it from anyone else
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes call it over plain HTTP inside the stack
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", "INFO") or "INFO"},
}
