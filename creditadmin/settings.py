"""Settings for creditadmin, read from the environment (12-factor).

DEBUG=1 gives a local development set-up with an SQLite file beside manage.py;
DEBUG=0 (the default) is production and refuses to start without a SECRET_KEY (from the
environment, or the .secret_key file `make setup` writes).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DEBUG=1 is local development: the defaults below for an SQLite file, a development key,
# static files from the source tree and plain-text logs. Django's own debug pages (the yellow
# 404, tracebacks in the browser) are a separate choice, DEBUG_PAGES=1; without it `make run`
# shows the app's own 404 and 500 pages as production does, and a 500's traceback goes to
# the console log.
DEVELOPMENT = env_bool("DEBUG", False)
DEBUG = DEVELOPMENT and env_bool("DEBUG_PAGES", False)


def local_secret_key() -> str:
    """The key `make setup` generates once into .secret_key (git-ignored): on a machine whose
    environment sets none, `make run`, `make serve` and manage.py commands share it."""
    path = BASE_DIR / ".secret_key"
    return path.read_text().strip() if path.is_file() else ""


SECRET_KEY = os.environ.get("SECRET_KEY", "") or local_secret_key()
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for local development set DEBUG=1, "
            "as `make run` and `make test` do)."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "axes",
    "accounts",
    "imports",
    "ledger",
    # After imports, whose db_worker command (the same worker, which first recovers the
    # imports a killed worker left running) must win over this app's.
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "creditadmin.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused login into creditadmin.login_throttle's page.
    "axes.middleware.AxesMiddleware",
]

# Everything from this site only; no inline script or style anywhere (creditadmin.csp).
# Bootstrap draws its icons (navbar toggler, select arrows) as data: SVG images.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

ROOT_URLCONF = "creditadmin.urls"

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
                "accounts.context_processors.store_settings",
                "imports.context_processors.awaiting_approval",
            ],
        },
    },
]

WSGI_APPLICATION = "creditadmin.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the background worker writes an import batch.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username,
# or from one address, logins from it are refused until LOGIN_COOLOFF_MINUTES pass without
# another try. Attempts live in the database, so every worker and host counts the same ones.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", 15)))
AXES_RESET_ON_SUCCESS = True
# Attempts and lockouts are still logged (warnings); no start-up banner in every command.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "creditadmin.login_throttle.lockout_response"
# The client address behind PROXY_COUNT reverse proxies that append to X-Forwarded-For;
# with none (the default) it is the connection's own address.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", 0)) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)
AXES_IPWARE_PROXY_ORDER = "right-most"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("pt-br", _("Portuguese (Brazil)")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Local overrides of Django's number formats (Spanish money reads 1.234,56).
FORMAT_MODULE_PATH = ["creditadmin.formats"]
# The language chosen with the header switcher outlives the browser session.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Sao_Paulo")
# How pages name the store's time zone beside every time they show ("13:28, São Paulo time").
TIME_ZONE_NAME = os.environ.get("TIME_ZONE_NAME") or (
    "São Paulo"
    if TIME_ZONE == "America/Sao_Paulo"
    else TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")
)
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEVELOPMENT
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PARSER_CLASSES": ["accounts.api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "accounts.api.exceptions.vtex_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "accounts.api.negotiation.JsonContentNegotiation",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "creditadmin Customer Credit API",
    "DESCRIPTION": (
        "VTEX's Customer Credit API — accounts, holders, pre-authorizations, settlements, "
        "refunds, invoices, statements, store configuration — at VTEX's paths and in its "
        "shapes: point an integration at this server and give it a key pair created under API "
        "keys, sent in the `X-VTEX-API-AppKey` and `X-VTEX-API-AppToken` headers. Scopes: "
        "`read` reads; `write` opens, changes and closes accounts and holders; `credit` sets "
        "credit limits and tolerances and moves money. Errors are "
        '`{"code", "message"}` JSON with a fitting 4xx; a duplicate open account is `1099`.'
        "\n\n**Where creditadmin differs from VTEX** (each operation says more):\n"
        "- `PUT /accounts/{id}` leaves omitted fields as they are (VTEX erases them); a "
        "closed account is never reopened; a tolerance above 1 is refused with a hint.\n"
        "- Unknown request fields are ignored, as VTEX clients expect, and named in the "
        "`X-Ignored-Fields` response header.\n"
        "- Account search lists open accounts unless `status` asks otherwise; VTEX's status "
        "words are read: Open/Opened/Paid → open, Closed/Cancelled → closed, All → both.\n"
        "- `Accept: application/vnd.vtex.ds.v10+json` (any JSON type) is answered with "
        "`application/json`; every unknown path under `/api/` is a JSON 404, whatever the "
        "method.\n"
        "- Calls addressed by a transaction or invoice id are idempotent; creating POSTs "
        "(pre-authorization, refund, payment) honour an `Idempotency-Key` header.\n"
        "- Any pre-authorization not yet settled can be cancelled (VTEX: only `settle: "
        "false` ones); a postponement counts from the original due date; PUT on a "
        "store configuration or an invoice leaves omitted fields as they are; calls "
        "VTEX answers with no body return the changed object."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["accounts.api.urls.document_paths_without_trailing_slash"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Key of the HMAC that API tokens are stored as; changing it invalidates every API key.
API_TOKEN_HMAC_KEY = os.environ.get("API_TOKEN_HMAC_KEY", "") or SECRET_KEY
# Seconds a server process remembers an API key it looked up (0: look it up on every call).
# A key revoked in another process keeps working for at most this long.
API_KEY_CACHE_SECONDS = int(os.environ.get("API_KEY_CACHE_SECONDS", "5"))

# Upper bound for an uploaded CSV, checked before the file is read.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# Rows an import checks per query round and applies per transaction.
IMPORT_BATCH_SIZE = int(os.environ.get("IMPORT_BATCH_SIZE", 5000))
# A running import without a sign of life for this long is failed (and can be retried).
IMPORT_STALE_AFTER_MINUTES = int(os.environ.get("IMPORT_STALE_AFTER_MINUTES", 10))
# A worker that starts fails the imports left validating or importing with no sign of life
# for this long: their worker died (each batch is a sign of life, and takes seconds).
IMPORT_WORKER_LOST_AFTER_SECONDS = int(os.environ.get("IMPORT_WORKER_LOST_AFTER_SECONDS", 60))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# How long a task may wait in the queue before the health URL reports that no worker runs.
TASK_QUEUE_MAX_WAIT_SECONDS = int(os.environ.get("TASK_QUEUE_MAX_WAIT_SECONDS", 300))

# Production logs are one JSON object per line (creditadmin.logs), development logs plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "creditadmin.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({} if DEVELOPMENT else {"formatter": "json"}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

if not DEVELOPMENT:
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
    # HTTPS=0 serves the production set-up over plain http, as `make serve` does on one
    # machine: no redirect to https, no HSTS, cookies not marked Secure (a browser would not
    # send them back over http). Behind TLS (the default) all three are on.
    if env_bool("HTTPS", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_SSL_REDIRECT = True
        # Load balancers probe the health URL over plain http.
        SECURE_REDIRECT_EXEMPT = [r"^health/$"]
        SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
        SECURE_HSTS_INCLUDE_SUBDOMAINS = True
        SECURE_HSTS_PRELOAD = True
        SESSION_COOKIE_SECURE = True
        CSRF_COOKIE_SECURE = True
