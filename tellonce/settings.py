"""Settings for Tell It Once, read from environment variables with safe defaults for the demo.

DEPLOYMENT=production switches on everything a real deployment needs (secure cookies, HSTS,
SSL redirect, a SECRET_KEY that must come from the environment); `manage.py check --deploy`
is clean in that mode. The default, DEPLOYMENT=demo, runs on http://127.0.0.1:8000 with SQLite.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tellonce.logs import FORMATTERS

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of seconds, 0 or more (not {value!r})")
    return seconds


def _retention_years(text: str) -> dict[str, int]:
    from tellonce.privacy.periods import parse_setting

    try:
        return parse_setting(text)
    except ValueError as problem:
        raise ImproperlyConfigured(str(problem)) from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [v.strip() for v in value.split(",") if v.strip()] or default


DEPLOYMENT = os.environ.get("DEPLOYMENT", "demo")
PRODUCTION = DEPLOYMENT == "production"
DEBUG = env_bool("DEBUG", False) and not PRODUCTION


# --- SECRET_KEY strength (production) -----------------------------------------------------
def weak_secret_key(key: str) -> str:
    """Why `key` is too weak to sign sessions and tokens, or '' if it is not: Django's own
    rule (its `check --deploy` warning security.W009, made an error here): at least 50
    characters, at least 5 different ones, not the 'django-insecure-' key startproject writes."""
    from django.core.checks.security import base

    if key.startswith(base.SECRET_KEY_INSECURE_PREFIX):
        return f"it starts with {base.SECRET_KEY_INSECURE_PREFIX!r}, a development key"
    if len(key) < base.SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters; it needs at least {base.SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < base.SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return (
            f"it has {len(set(key))} different characters; it needs at least "
            f"{base.SECRET_KEY_MIN_UNIQUE_CHARACTERS}"
        )
    return ""


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if PRODUCTION:
        if not key:
            raise ImproperlyConfigured(
                "SECRET_KEY must be set in the environment when DEPLOYMENT=production"
            )
        if reason := weak_secret_key(key):
            raise ImproperlyConfigured(
                f"SECRET_KEY is too weak for DEPLOYMENT=production: {reason}. Make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
        return key
    if key:
        return key
# --- end of SECRET_KEY strength -------------------------------------------------------------
    # The demo makes its own key, once, and keeps it out of version control.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Bottom of the dependency graph: people and access.
    "tellonce.people",
    "tellonce.access",
    "tellonce.profile",
    # Workflows.
    "tellonce.ehc",
    "tellonce.health",
    "tellonce.feeds",
    "tellonce.matching",
    "tellonce.early",
    "tellonce.directory",
    # Readers of the workflows.
    "tellonce.insight",
    "tellonce.notify",
    "tellonce.privacy",
    # Pages, API and the demo area.
    "tellonce.accounts",
    "tellonce.invitations",
    "tellonce.api",
    "tellonce.demo",
]

# What each workflow adds to the child record page (tellonce/people/record.py): people sits
# below the workflows and imports none of them, so it finds their parts by name.
CHILD_RECORD_PARTS = [
    "tellonce.profile.record.about_me",
    "tellonce.health.record.referral_link",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # NUL bytes, too-deep JSON and oversized bodies: a clear 400 or 413, before any view.
    "tellonce.safeinput.RejectBadInputMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tellonce.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Private responses are never stored by a browser or proxy; idle sessions end.
    "tellonce.accounts.private.NoStoreMiddleware",
    "tellonce.accounts.private.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # axes last: it turns locked-out sign-ins into its lockout response.
    "axes.middleware.AxesMiddleware",
    # SQLite: GET and HEAD read without the write lock (tellonce/sqlite_reads.py). After
    # every other middleware's process_view, as it runs the view itself.
    "tellonce.sqlite_reads.DeferredReadsMiddleware",
]

ROOT_URLCONF = "tellonce.urls"
WSGI_APPLICATION = "tellonce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tellonce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tellonce.accounts.context.navigation",
            ],
            # Shared filters (paging, sorting, dates) available in every template.
            "builtins": ["tellonce.accounts.templatetags.tellonce"],
        },
    }
]

# SQLite by default (embedded, WAL); PostgreSQL through DATABASE_URL (psycopg 3).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Every request is one transaction: an audit row commits with the read or write it records.
DATABASES["default"]["ATOMIC_REQUESTS"] = True

# --- Database roles (PostgreSQL; docs/deploying.md) ---------------------------------------
# DATABASE_URL is the application's role, which owns nothing and may only SELECT and INSERT
# on the audit log; DATABASE_OWNER_URL (same database, the owner role) is what `migrate`
# connects as (tellonce/access/management/commands/migrate.py). Unset: migrate uses
# DATABASE_URL, as on SQLite, which has no roles.
DATABASE_OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "")
DATABASE_APP_ROLE = DATABASES["default"].get("USER", "") if DATABASE_OWNER_URL else ""
# --- end of database roles ----------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tellonce.accounts.backends.UserBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:signed_out"

# Login throttling: five failures lock for 15 minutes the username (from any address: one
# account guessed from many addresses) and, separately, the address (for any username: one
# password sprayed across many accounts). Each is counted on its own.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Second factor: staff may enrol a TOTP device; REQUIRE_STAFF_2FA makes it compulsory.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", PRODUCTION)
OTP_TOTP_ISSUER = "Tell It Once"

# --- Signing in through OpenID Connect (tellonce/accounts/oidc.py, docs/signing-in.md) ------
# GOV.UK One Login for families and young people: on when ONELOGIN_CLIENT_ID is set. The
# issuer defaults to One Login's integration environment; production is
# https://oidc.account.gov.uk/. The client authenticates with private_key_jwt: the private
# key (PEM) whose public half was registered with One Login, as text or a file.
ONELOGIN_CLIENT_ID = os.environ.get("ONELOGIN_CLIENT_ID", "")
ONELOGIN_ISSUER = os.environ.get("ONELOGIN_ISSUER", "https://oidc.integration.account.gov.uk/")
ONELOGIN_PRIVATE_KEY = os.environ.get("ONELOGIN_PRIVATE_KEY", "")
if not ONELOGIN_PRIVATE_KEY and os.environ.get("ONELOGIN_PRIVATE_KEY_FILE"):
    ONELOGIN_PRIVATE_KEY = Path(os.environ["ONELOGIN_PRIVATE_KEY_FILE"]).read_text()
# The level of authentication asked for (One Login's vtr): Cl.Cm is two factors, no identity
# check, which is what a family's access needs (the invitation's code and the child's date of
# birth confirm who they are to the record).
ONELOGIN_VTR = os.environ.get("ONELOGIN_VTR", "Cl.Cm")
ONELOGIN_SCOPES = os.environ.get("ONELOGIN_SCOPES", "openid email phone")
# Staff single sign-on through their organisation's OpenID Connect provider (Microsoft Entra
# ID: https://login.microsoftonline.com/<tenant id>/v2.0): on when STAFF_SSO_CLIENT_ID is set.
STAFF_SSO_ISSUER = os.environ.get("STAFF_SSO_ISSUER", "")
STAFF_SSO_CLIENT_ID = os.environ.get("STAFF_SSO_CLIENT_ID", "")
STAFF_SSO_CLIENT_SECRET = os.environ.get("STAFF_SSO_CLIENT_SECRET", "")
STAFF_SSO_SCOPES = os.environ.get("STAFF_SSO_SCOPES", "openid email profile")
# Staff (anyone with a current staff membership) may then sign in only through the provider:
# their local password is refused. Families and the demo's accounts are not affected.
STAFF_SSO_REQUIRED = env_bool("STAFF_SSO_REQUIRED", False)
# How long a family invitation's link lasts, in days.
INVITATION_DAYS = int(os.environ.get("INVITATION_DAYS", "14"))
# --- end of signing in through OpenID Connect ------------------------------------------------


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


# Signing out of One Login is a form posted to us that redirects to its end-session endpoint;
# browsers hold such redirects to form-action, so the providers' origins are allowed there.
SIGN_IN_ORIGINS = [
    origin
    for origin, on in ((_origin(ONELOGIN_ISSUER), ONELOGIN_CLIENT_ID),
                       (_origin(STAFF_SSO_ISSUER), STAFF_SSO_CLIENT_ID))
    if origin and on
]

# Strict Content Security Policy. GOV.UK Frontend runs as a module from our own origin; its
# one-line "js-enabled" body class script carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *SIGN_IN_ORIGINS],
        "frame-ancestors": [NONE],
    }
}

# ----- Input limits, sessions, browser features (tellonce/safeinput.py, accounts/private.py)
# The largest request body accepted, checked on its declared length before it is read (the
# local offer import takes files up to 20 MB).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(21 * 1024 * 1024)))
# A signed-in session ends after this many minutes without a request: staff (anyone with an
# organisation) and everyone else (families). 0 leaves only SESSION_COOKIE_AGE.
STAFF_SESSION_IDLE_MINUTES = float(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
SESSION_IDLE_MINUTES = float(os.environ.get("SESSION_IDLE_MINUTES", "120"))
# Browser features no page uses, switched off (django-permissions-policy).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in ("accelerometer", "autoplay", "camera", "display-capture", "geolocation",
                    "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
                    "browsing-topics", "fullscreen", "picture-in-picture",
                    "publickey-credentials-get", "screen-wake-lock", "serial",
                    "xr-spatial-tracking")
}
# API tokens expire after this many days unless issued for fewer.
API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))
# ----- end of input limits, sessions, browser features

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"  # collectstatic's target in a deployment
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "tellonce" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))

# Background work (notifications and the like) with django-tasks' database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}

# GOV.UK Notify: messages are sent through Notify when a key is set, else kept in the outbox.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# The Notify email template with ((subject)) and ((body)) placeholders that messages fill.
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")

# How long a server process trusts its local offer search index once it has found it current
# (tellonce/directory/search_index.py): a change made in another process shows in searches
# within this many seconds; 0 asks the database on every search.
LOCAL_OFFER_STAMP_CHECK_SECONDS = env_seconds("LOCAL_OFFER_STAMP_CHECK_SECONDS", 1.0)

# How long each kind of child record is kept before it is due for erasure, in years from the
# date of birth: "ehc=31,health=25,health_seventeen=26,sen_support=25,record=25" are the
# defaults (their sources: tellonce/privacy/retention.py). Give only the ones you change.
RETENTION_YEARS = _retention_years(os.environ.get("RETENTION_YEARS", ""))
# Search terms (names, NHS numbers) are written to the audit log as keyed hashes, so the log
# holds no one's name; with the key, an investigator can still find who searched for whom.
AUDIT_PSEUDONYM_KEY = os.environ.get("AUDIT_PSEUDONYM_KEY", "") or f"audit:{SECRET_KEY}"

# The local authority this deployment serves (the demo area's, by default).
SERVICE_NAME = os.environ.get("SERVICE_NAME", "Tell It Once")

# --- Logs -------------------------------------------------------------------------------
# One JSON object a line on standard error (LOG_FORMAT=json, the default in production): time,
# level, logger, message and any extra fields, for a log collector to index. LOG_FORMAT=text
# for people. gunicorn's own logs use the same formatter (gunicorn.conf.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text (not {LOG_FORMAT!r})")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
# --- end of logs ----------------------------------------------------------------------------
