"""Settings shared by every environment; dev, test and production adjust a few."""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .environment import env_bool, env_int, env_list, env_seconds

BASE_DIR = Path(__file__).resolve().parent.parent.parent


# The engines this project is built and tested on; dj-database-url knows many more.
SUPPORTED_ENGINES = {
    "django.db.backends.postgresql": "postgres://user:password@host:5432/name",
    "django.db.backends.sqlite3": "sqlite:////absolute/path/to/db.sqlite3",
}


def database_from_url(url: str) -> dict:
    """A DATABASES entry from postgres://… or sqlite:///… (dj-database-url).

    Query options reach OPTIONS (``?sslmode=require&connect_timeout=5``); any other
    scheme stops start-up with a message saying what is accepted.
    """
    try:
        database = dj_database_url.parse(
            url, conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError as exc:
        database = {"ENGINE": str(exc)}
    if database["ENGINE"] not in SUPPORTED_ENGINES:
        scheme = url.split(":", 1)[0] if ":" in url else url[:20]
        raise ImproperlyConfigured(
            f"DATABASE_URL has the scheme {scheme!r}, which this site does not support. "
            f"Use {' or '.join(SUPPORTED_ENGINES.values())}, or leave it unset for the "
            "SQLite file in the project folder."
        )
    return with_timeouts(database)


# Short limits, so a web request facing a stalled database fails in seconds rather
# than holding a worker (publishing/database.py enforces them on the client side too).
# Management commands get no statement limit unless one is set (manage.py says why).
DB_CONNECT_TIMEOUT = env_seconds("DJANGO_DB_CONNECT_TIMEOUT", 2)
DB_STATEMENT_TIMEOUT = env_seconds("DJANGO_DB_STATEMENT_TIMEOUT", 2)
SQLITE_BUSY_TIMEOUT = env_seconds("DJANGO_SQLITE_BUSY_TIMEOUT", 3)


def with_timeouts(database: dict) -> dict:
    """Add the connection and statement timeouts to a DATABASES entry (and, on
    PostgreSQL, no JIT compilation)."""
    options = database.setdefault("OPTIONS", {})
    if database["ENGINE"] == "django.db.backends.postgresql":
        # libpq counts whole seconds and takes 2 as its least.
        options.setdefault("connect_timeout", max(2, round(DB_CONNECT_TIMEOUT)))
        flags = []
        if DB_STATEMENT_TIMEOUT:
            flags.append(f"-c statement_timeout={int(DB_STATEMENT_TIMEOUT * 1000)}")
        # No JIT compilation: the planner prices the nested EXISTS of .published() high
        # enough to compile queries that run in milliseconds. At 100,000 reports the
        # knowledge-gap register's counts took 1.2-1.8 s with it and 0.6-1.1 s without
        # (wall, load 7 on 2 cores), 190 ms of one query's 450 being compilation.
        flags.append("-c jit=off")
        options["options"] = " ".join([options.get("options", ""), *flags]).strip()
    else:
        # WAL lets readers and one writer proceed together, as several gunicorn
        # workers do; the busy timeout rides out short write locks, and no more.
        options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        options.setdefault("transaction_mode", "IMMEDIATE")
        options.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
    return database


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "csp",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, from the bottom up: an app imports only from apps above it in this list
    # (tests/test_architecture.py checks it).
    "publishing",
    "collaboration",
    "reports",
    "involvement",
    "browse",
    "search",
    "agenda",
    "history",
    "staff",
    "alerts",
    "impact",
    "feeds",
    "api",
    "oai",
    "content",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so pages served from it carry these headers too.
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before sessions, so a cached page skips the rest; see publishing/middleware.py.
    "publishing.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, so a PUT to a read-only page is a 405, not a 403.
    "publishing.middleware.MethodNotAllowedMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Who made a change, for the history of content saved in this request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Staff idle sign-out and the two-factor step (staff/middleware.py).
    "staff.middleware.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After URL resolution: counts requests to the API and OAI-PMH per client address.
    "api.throttling.ThrottleMiddleware",
    # Last: turns a sign-in refused for lockout into the page saying when to try again.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "empac.urls"
WSGI_APPLICATION = "empac.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "publishing.context_processors.site",
            ],
        },
    },
]

# DATABASE_URL unset: SQLite in the project folder, so the site runs with nothing installed.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else with_timeouts(
        {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("DJANGO_SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # Opening the file and running init_command on every request cost more than
            # most requests' queries; in autocommit each query still sees the latest commit.
            "CONN_MAX_AGE": env_int("DJANGO_CONN_MAX_AGE", 60),
        }
    )
}

# The small queries of list pages run as statements PostgreSQL prepares once per
# connection (publishing.rows.execute_prepared). Set false behind a pooler that hands
# one server connection to many clients per transaction (PgBouncer's transaction mode).
EMPAC_PG_PREPARED_STATEMENTS = env_bool("EMPAC_PG_PREPARED_STATEMENTS", True)

# Work outside the request (emails now; later PDF text, digests, search indexing) waits
# as rows in the site's database until `manage.py db_worker` runs it (publishing/background.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The lockout check first (django-axes), then the ordinary password check.
AUTHENTICATION_BACKENDS = [
    "staff.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Sign-in that resists attack (staff/). After EMPAC_LOGIN_FAILURE_LIMIT failures in a row
# for one username, or from one client address, sign-in is locked for
# EMPAC_LOGIN_COOLOFF_MINUTES (or until an editor clears it under "Access attempts").
AXES_FAILURE_LIMIT = env_int("EMPAC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("EMPAC_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# A try during the lock neither counts nor moves the time the lock ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The same client address as the rest of the site (EMPAC_TRUSTED_PROXY_COUNT).
AXES_CLIENT_IP_CALLABLE = "staff.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"
AXES_VERBOSE = False
# Two factors (django-otp, TOTP plus recovery codes) for every staff sign-in when on;
# production turns it on unless told otherwise. A staff member who has set up an
# authenticator is always asked for a code.
EMPAC_REQUIRE_TWO_FACTOR = env_bool("EMPAC_REQUIRE_TWO_FACTOR", False)
OTP_TOTP_ISSUER = os.environ.get("EMPAC_TWO_FACTOR_ISSUER", "EMPAC knowledge base")
# A signed-in staff member idle this long is signed out.
EMPAC_ADMIN_IDLE_MINUTES = env_int("EMPAC_ADMIN_IDLE_MINUTES", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded files are never served directly: reports.views.report_pdf checks the report is
# public first. Behind nginx, set this to an `internal` location that maps to MEDIA_ROOT
# (e.g. /protected-media/) and the view hands the file to nginx with X-Accel-Redirect.
EMPAC_MEDIA_ACCEL_REDIRECT = os.environ.get("EMPAC_MEDIA_ACCEL_REDIRECT", "").strip()

# Whole public pages and what is computed from content, keyed by the content version so
# a change anywhere invalidates them everywhere (publishing/versioning.py); about 40 KB a
# page. Without REDIS_URL each worker keeps its own copy; with it every worker on every
# app server shares one (Django's RedisCache). A Redis that is down or slow only costs
# the cache: pages are rendered afresh (publishing/cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    _redis = {
        "BACKEND": "publishing.cache.ForgivingRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {**_redis, "KEY_PREFIX": "empac"},
        "pages": {**_redis, "KEY_PREFIX": "empac-pages", "TIMEOUT": 60 * 60},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "empac-pages",
            "TIMEOUT": 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": env_int("EMPAC_PAGE_CACHE_MAX_ENTRIES", 1000)},
        },
    }
# Apps whose models appear on public pages: any change to them invalidates cached pages.
PAGE_CACHE_CONTENT_APPS = ["publishing", "collaboration", "reports", "agenda", "impact", "taggit"]
# Apps whose every model the Curators group may edit (publishing/curators.py); never auth.
CURATED_APPS = [
    "publishing",
    "collaboration",
    "reports",
    "involvement",
    "agenda",
    "alerts",
    "impact",
    "taggit",
]

# The header's links: (text, URL name, other URL names that count as that section).
SITE_NAVIGATION = [
    ("Themes", "browse:theme-list", {"browse:theme-detail"}),
    ("Reports", "reports:report-list", {"reports:report-detail"}),
    ("Knowledge gaps", "agenda:gap-list", {"agenda:gap-detail"}),
    ("Gap analyses", "reports:gapanalysis-list", {"reports:gapanalysis-detail"}),
    ("Partners", "browse:organisation-list", {"browse:organisation-detail"}),
    ("People", "browse:person-list", {"browse:person-detail"}),
    (
        "Impact",
        "impact:recommendation-list",
        {
            "impact:recommendation-detail",
            "impact:entry-list",
            "impact:entry-detail",
            "impact:coverage",
        },
    ),
    ("About", "browse:about", set()),
    ("Get involved", "involvement:register", set()),
]
# Never served from or stored in the page cache: per-visitor or non-HTML paths.
PAGE_CACHE_SKIP_PREFIXES = [
    "/admin/",
    "/get-involved/",
    "/alerts/",
    "/healthz",
    STATIC_URL,
    MEDIA_URL,
]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Search: how many of the newest matches are ranked, counted and faceted. A search
# matching more says so; adding words or a facet narrows it (search/engine.py). At
# 100,000 demo reports a search took 17.6 ms with 1,000, 14.0 ms with 500, 10.7 with 300.
EMPAC_SEARCH_CANDIDATES = env_int("EMPAC_SEARCH_CANDIDATES", 500)

# Largest PDF a curator may upload to a report.
REPORT_PDF_MAX_BYTES = env_int("EMPAC_REPORT_PDF_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Mail, from DJANGO_EMAIL_* in every environment. Development prints emails to the
# console unless told otherwise; for local testing of what readers receive, the file
# backend writes each one to DJANGO_EMAIL_FILE_PATH:
#   DJANGO_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "EMPAC <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SITE_NAME = os.environ.get("EMPAC_SITE_NAME", "EMPAC serious and organised crime research")

# The privacy notice's version, shown on /privacy/ and stored with each interest
# registration; change it whenever the notice's wording changes.
PRIVACY_NOTICE_VERSION = "2026-12"

# Get involved: who hears about new registrations, and how the form turns away abuse.
EMPAC_CURATOR_EMAILS = env_list("EMPAC_CURATOR_EMAILS")
# Who to contact: the collaboration's address on the contact page and in every footer,
# and the Reply-To of emails to the public (a mailbox a person reads, never no-reply).
EMPAC_CONTACT_EMAIL = os.environ.get("EMPAC_CONTACT_EMAIL", "").strip() or (
    EMPAC_CURATOR_EMAILS[0] if EMPAC_CURATOR_EMAILS else ""
)
EMPAC_REPLY_TO_EMAIL = os.environ.get("EMPAC_REPLY_TO_EMAIL", "").strip() or EMPAC_CONTACT_EMAIL
# The working days within which the acknowledgement promises a curator's reply: a promise
# the operator makes, so it is a setting.
EMPAC_REPLY_WITHIN_WORKING_DAYS = env_int("EMPAC_REPLY_WITHIN_WORKING_DAYS", 10)
# Absolute address of the site, used for links in emails (e.g. https://empac.example.org).
EMPAC_SITE_URL = os.environ.get("EMPAC_SITE_URL", "").rstrip("/")
# Form POSTs allowed per client address per window, valid or not, before a 429.
EMPAC_REGISTRATION_RATE_LIMIT = env_int("EMPAC_REGISTRATION_RATE_LIMIT", 5)
EMPAC_REGISTRATION_RATE_WINDOW_SECONDS = env_int("EMPAC_REGISTRATION_RATE_WINDOW_SECONDS", 3600)
# A form sent sooner than this after it was shown is taken for a bot and silently dropped.
EMPAC_REGISTRATION_MIN_SECONDS = env_int("EMPAC_REGISTRATION_MIN_SECONDS", 3)
# A Get involved form older than this many seconds is shown again, answers kept, to resend.
EMPAC_FORM_TOKEN_MAX_AGE = env_int("EMPAC_FORM_TOKEN_MAX_AGE", 24 * 60 * 60)
# How many reverse proxies in front of the site append to X-Forwarded-For; 0 = trust none.
EMPAC_TRUSTED_PROXY_COUNT = env_int("EMPAC_TRUSTED_PROXY_COUNT", 0)
# Closed registrations are deleted by `manage.py purge_registrations` after this many days.
EMPAC_REGISTRATION_RETENTION_DAYS = env_int("EMPAC_REGISTRATION_RETENTION_DAYS", 365)
# Tries at sending a registration's emails before send_pending_notifications gives up.
EMPAC_NOTIFICATION_MAX_ATTEMPTS = env_int("EMPAC_NOTIFICATION_MAX_ATTEMPTS", 10)
# Email alerts: how long a confirmation link works, and what digests can name, by
# dotted path (alerts/sources.py; an app above alerts adds its own, e.g. impact entries).
EMPAC_ALERTS_CONFIRM_MAX_AGE = env_int("EMPAC_ALERTS_CONFIRM_MAX_AGE", 7 * 24 * 60 * 60)
# How long the "manage your alerts" link in each alert email works (the unsubscribe link
# never expires): long enough for a weekly subscriber's quiet months.
EMPAC_ALERTS_MANAGE_MAX_AGE = env_int("EMPAC_ALERTS_MANAGE_MAX_AGE", 90 * 24 * 60 * 60)
EMPAC_DIGEST_SOURCES = [
    "alerts.sources.NewReports",
    "alerts.sources.NewKnowledgeGaps",
    "alerts.sources.KnowledgeGapStatusChanges",
    "impact.digest.NewImpactEntries",
]
# Seconds an SMTP server may stall before a send fails (and is retried later).
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lockouts are warnings; every attempt's bookkeeping is not news.
        "axes": {"level": "WARNING"},
    },
}

TAGGIT_CASE_INSENSITIVE = True

# Content-Security-Policy and Permissions-Policy: empac/settings/headers.py.
from .headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY  # noqa: E402, F401

# Open data for any site to read (django-cors-headers): GET only, no cookies.
CORS_URLS_REGEX = r"^/(api|oai|feeds)/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-modified-since", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link"]
CORS_PREFLIGHT_MAX_AGE = 86400

# The read-only API (Django REST framework): anonymous, JSON only, nothing personal, so
# every reader gets the same answer and answers can be cached (api/views.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "URL_FORMAT_OVERRIDE": None,
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EMPAC knowledge base API",
    "DESCRIPTION": (
        "Read-only JSON for everything public in the knowledge base: themes, partner "
        "organisations, people and their roles, reports, gap analyses, knowledge gaps, "
        "progress on recommendations and the impact log."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": False,
    # Two models' choices are both called "status": each enum named for its model.
    "ENUM_NAME_OVERRIDES": {
        "KnowledgeGapStatusEnum": "reports.models.KnowledgeGap.Status",
        "RecommendationStatusEnum": "reports.models.Recommendation.Status",
    },
}

# Requests to the API and OAI-PMH allowed per client address per window, before a 429.
EMPAC_API_RATE_LIMIT = env_int("EMPAC_API_RATE_LIMIT", 300)
EMPAC_API_RATE_WINDOW_SECONDS = env_int("EMPAC_API_RATE_WINDOW_SECONDS", 60)
# With REDIS_URL set, the API's request counters live in Redis (falling back to the
# database while Redis fails); otherwise in the database. Every worker on every server
# shares them (api/throttling.py).
if REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "empac-ratelimit",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }

# OAI-PMH: the repository's name in identifiers (oai:<this>:report/12), a domain name that
# never changes; and how many records one ListRecords or ListIdentifiers answer holds.
EMPAC_OAI_REPOSITORY_IDENTIFIER = os.environ.get(
    "EMPAC_OAI_REPOSITORY_IDENTIFIER", urlsplit(EMPAC_SITE_URL).hostname or "empac.localhost"
)
EMPAC_OAI_ADMIN_EMAIL = os.environ.get("EMPAC_OAI_ADMIN_EMAIL", "") or (
    EMPAC_CURATOR_EMAILS[0]
    if EMPAC_CURATOR_EMAILS
    else f"oai-admin@{EMPAC_OAI_REPOSITORY_IDENTIFIER}"
)
EMPAC_OAI_PAGE_SIZE = env_int("EMPAC_OAI_PAGE_SIZE", 50)
