"""Settings of the help portal, read from the environment in this one module.

Two profiles (docs/settings.md):
- the embedded default, when nothing is set: SQLite in WAL mode, the in-memory channel
  layer, local media, console e-mail, DEBUG on;
- production, when DJANGO_SECRET_KEY is set: DATABASE_URL, REDIS_URL, EMAIL_URL, MEDIA_ROOT,
  DEBUG off, HTTPS-only cookies and HSTS (DJANGO_HTTPS=false for plain HTTP over loopback).

Every variable is read once, here, and strictly: a value that cannot be understood is an
error at start-up, never a silent default.
"""

from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import (
    envbool,
    envchoice,
    envint,
    envlist,
    envmailbox,
    envrate,
    envsmtp,
    envstr,
)

BASE_DIR = Path(__file__).resolve().parent.parent


# Profile -------------------------------------------------------------------------------------

SECRET_KEY = envstr("DJANGO_SECRET_KEY")
DEBUG = envbool("DJANGO_DEBUG", default=SECRET_KEY is None)
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "embedded-default-not-a-secret-" + "x" * 40

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])
VAR_DIR = Path(envstr("DJANGO_VAR_DIR", str(BASE_DIR / "var")))

# Applications --------------------------------------------------------------------------------

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_ratelimit",
    "mailer",
    "portal",
    "portal.memberdata",
    "tickets",
    "livechat",
    "portal.replies",
    "portal.hours",
]

MIDDLEWARE = [
    "helpdesk.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpdesk.middleware.SignInRequiredMiddleware",
    "portal.middleware.MemberLanguageMiddleware",
    "helpdesk.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helpdesk.middleware.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "helpdesk.urls"
ASGI_APPLICATION = "helpdesk.asgi.application"
WSGI_APPLICATION = None

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
                "portal.context_processors.portal",
            ],
        },
    },
]

# Data ----------------------------------------------------------------------------------------

SQLITE_OPTIONS = {
    # IMMEDIATE: a read-then-write transaction takes the write lock at BEGIN, so it waits
    # (busy_timeout) instead of failing at once with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
    ),
}
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL is None:
    # The embedded default keeps its database and media in var/, made on first use.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# PostgreSQL: psycopg's pool, one per process: +45% requests/s against a connection per
# request (bench/db_pool.py). Off behind a pooler such as PgBouncer in transaction mode.
# Waiting for a connection is short: a database that is down must fail requests fast.
DB_POOL = envbool("DJANGO_DB_POOL", default=True)
DB_POOL_SIZE = envint("DJANGO_DB_POOL_SIZE", 8)
DATABASES = {"default": environ.Env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, with connections handed from one request to the next instead of
    # opened and closed around each (helpdesk/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "helpdesk.sqlite"
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # Tests in memory, as for Django's own engine name (pytest-django recognises only that
    # name, and would otherwise make each xdist worker a file named after NAME).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    # A database that does not answer fails a request (and /health/) fast.
    DATABASES["default"]["OPTIONS"] = {"connect_timeout": 5}
    if DB_POOL:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": 1,
            "max_size": DB_POOL_SIZE,
            "timeout": 2,
        }
# Sessions live in the database that every daphne process shares, and are read from the
# default cache (Redis with REDIS_URL, so shared too): a page does not query them, and a
# Redis restart signs nobody out (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = envstr("REDIS_URL")
if REDIS_URL:
    # Pub/sub, measured against the core layer (bench/channel_layers.py): 5x lower latency,
    # and a consumer keeps receiving after redis-server restarts (the core layer keeps group
    # membership in Redis, so a restart silently empties every chat's group).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "livechat.layers.PipelinedRedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    # What login lockout and rate limits count with; a Redis that is down fails fast.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # One process: in memory, without the stock layer's per-message costs (livechat/layers.py).
    CHANNEL_LAYERS = {"default": {"BACKEND": "livechat.layers.LeanInMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rendered page fragments, in each process's memory: each is stored under a key made of
# everything it shows (tickets' listing_shown), so no process can show a stale one and none
# need share them.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail --------------------------------------------------------------------------------------

EMAIL_URL = envstr("EMAIL_URL")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if smtp := envsmtp("EMAIL_URL"):
    # Mail leaves through an outbox (django-mailer, docs/operations.md): sending stores it,
    # helpdesk-mail.service sends it, so no request waits on SMTP and a refused message is
    # sent again, not lost. The log keeps no message data (no reset link, no member's words).
    globals().update(smtp)
    EMAIL_BACKEND = "mailer.backend.DbBackend"
    EMAIL_TIMEOUT = 30
    MAILER_EMAIL_LOG_MESSAGE_DATA = False
    MAILER_EMAIL_MAX_RETRIES = 36  # every 10 minutes: six hours
    MAILER_EMPTY_QUEUE_SLEEP = 5
    MAILER_USE_FILE_LOCK = False  # rows are claimed with a row lock, across hosts
DEFAULT_FROM_EMAIL = envstr("DJANGO_DEFAULT_FROM_EMAIL", "Tech Support <support@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Reply by e-mail (tickets/inbound): the support mailbox the portal reads, or None. Replies
# come to DEFAULT_FROM_EMAIL's address, plus-addressed (support+TI-000123.<token>@...), so
# that address must deliver into this mailbox.
INBOUND_EMAIL = envmailbox("INBOUND_EMAIL_URL")
INBOUND_EMAIL_ADDRESS = parseaddr(DEFAULT_FROM_EMAIL)[1].lower()
if INBOUND_EMAIL and INBOUND_EMAIL_ADDRESS.count("@") != 1:
    raise ImproperlyConfigured("DJANGO_DEFAULT_FROM_EMAIL must have an address for replies")
# Automatic answers to one sender in an hour (closed ticket, files not kept, ...); one who
# could not be matched to a ticket gets one an hour at most.
INBOUND_EMAIL_ANSWERS_PER_HOUR = envint("DJANGO_INBOUND_EMAIL_ANSWERS_PER_HOUR", 5)
# Larger messages are not read (kept aside, the sender told); screenshots are bounded anyway.
INBOUND_EMAIL_MAX_BYTES = envint("DJANGO_INBOUND_EMAIL_MAX_BYTES", 30 * 1024 * 1024)

# Sign-in -------------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.backends.MemberBackend",
    # Only for the sessions signed in before MemberBackend, which name this one: they stay
    # signed in. MemberBackend refuses a wrong password itself, so it is not tried twice.
    "django.contrib.auth.backends.ModelBackend",
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

# Lock out a username from one address, never a username everywhere (a stranger could lock
# every member out) nor an address for everyone (members share office NATs).
AXES_FAILURE_LIMIT = envint("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Internationalisation ------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("pl", "Polski")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Logs ----------------------------------------------------------------------------------------

# One line per request and per WebSocket connect and close (helpdesk/logging.py), on stderr.
LOG_FORMAT = envchoice("DJANGO_LOG_FORMAT", ("text", "json"), "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "helpdesk.logging.JSONFormatter"},
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "helpdesk": {"level": "INFO"},
        # The access log already has every 4xx; Django's own line would say it twice.
        "django": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}

# Security ------------------------------------------------------------------------------------

HTTPS = envbool("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# A load balancer asks each process for /health/ over plain HTTP on loopback.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# No script reads the token from the cookie (forms carry it in a hidden field), so no script
# need reach it at all.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language switch's cookie, like the session's: no script reads it either.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = SESSION_COOKIE_HTTPONLY
LANGUAGE_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVGs; previews of chosen files are blob:.
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        # 'self' covers ws:// and wss:// to the same host (CSP level 3).
        "connect-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The portal ----------------------------------------------------------------------------------

# The lowest rank allowed into Technical Issues: a name from portal.models.Rank.
TECH_ISSUES_LOWEST_RANK = envstr("DJANGO_TECH_ISSUES_LOWEST_RANK", "SILVER")

# Tickets -------------------------------------------------------------------------------------

# Screenshots on a ticket or a reply: bounds checked before anything is decoded. Pillow
# itself refuses over about 179 million pixels, whatever the cap says.
TICKETS_SCREENSHOT_MAX_BYTES = envint("DJANGO_TICKETS_SCREENSHOT_MAX_BYTES", 10 * 1024 * 1024)
TICKETS_SCREENSHOT_MAX_PIXELS = envint("DJANGO_TICKETS_SCREENSHOT_MAX_PIXELS", 25_000_000)
TICKETS_SCREENSHOTS_PER_MESSAGE = envint("DJANGO_TICKETS_SCREENSHOTS_PER_MESSAGE", 10)
TICKETS_PER_PAGE = 20
# Links in e-mails point here (e-mails are sent outside any request).
PORTAL_URL = envstr("DJANGO_PORTAL_URL", "http://127.0.0.1:8000")

# Live chat -----------------------------------------------------------------------------------

# A waiting member whose page has been gone this long is dropped from the queue.
LIVECHAT_ABANDON_AFTER = timedelta(seconds=envint("DJANGO_LIVECHAT_ABANDON_SECONDS", 120))
# How many active chats one agent holds at once.
LIVECHAT_AGENT_CAPACITY = envint("DJANGO_LIVECHAT_AGENT_CAPACITY", 3)
# How long after a chat ended its agent may still turn it into a ticket.
LIVECHAT_CONVERT_WITHIN = timedelta(minutes=30)
LIVECHAT_MAX_BODY = 4000  # characters in one message (docs/protocol.md: error "too_long")
LIVECHAT_MAX_FRAME = 64 * 1024  # bytes in one WebSocket frame (docs/protocol.md: close 4009)
# Messages one socket may have sent and not yet stored (the writer's backpressure).
LIVECHAT_MAX_UNCOMMITTED = 32
# At most this many messages in this many seconds from one side of a chat, all its sockets
# together (error "slow_down").
LIVECHAT_RATE_LIMIT = (envint("DJANGO_LIVECHAT_RATE_MESSAGES", 10), 10)
LIVECHAT_TYPING_INTERVAL = 2  # seconds between two typing frames passed on
# Chat transcripts are e-mailed by one background worker, off the sockets' database thread.
LIVECHAT_MAIL_IN_BACKGROUND = True

# Rate limits ---------------------------------------------------------------------------------

# What a person may create, counted by django-ratelimit in the cache (Redis with REDIS_URL,
# so the counts hold across daphne processes). Rates are "count/period", period s, m, h or d.
RATE_LIMIT_CHATS_PER_SESSION = envrate("DJANGO_RATE_LIMIT_CHATS_PER_SESSION", "5/h")
RATE_LIMIT_CHATS_PER_ADDRESS = envrate("DJANGO_RATE_LIMIT_CHATS_PER_ADDRESS", "30/h")
RATE_LIMIT_TICKETS_PER_MEMBER = envrate("DJANGO_RATE_LIMIT_TICKETS_PER_MEMBER", "10/h")
RATE_LIMIT_REPLIES_PER_MEMBER = envrate("DJANGO_RATE_LIMIT_REPLIES_PER_MEMBER", "10/m")
# A member's archive of their own data (portal.memberdata) reads every file they ever sent.
RATE_LIMIT_EXPORTS_PER_MEMBER = envrate("DJANGO_RATE_LIMIT_EXPORTS_PER_MEMBER", "3/h")
# django-ratelimit's check only knows django-redis and memcached (W001 for anything else):
# Django's own RedisCache increments atomically (INCR) all the same. It refuses LocMemCache
# (E003) as not shared; but without REDIS_URL the portal is one process (its channel layer
# is in memory too), and one process shares one LocMemCache: the counts are exact there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
if not REDIS_URL:
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")

# Request bodies ------------------------------------------------------------------------------

# Fields other than files (the longest is a 10,000-character description): refused beyond
# this with RequestDataTooBig, before anything is stored.
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
# Up to twice the screenshots a message takes, the form names the limit and keeps the rest
# of what was typed; beyond, Django stops reading the request (TooManyFilesSent).
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * TICKETS_SCREENSHOTS_PER_MESSAGE
# A file (and an ASGI request body) above this is spooled to a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
