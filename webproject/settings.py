"""Settings of the fastpron web app, read from the environment.

    DEBUG                 1/true/yes/on to turn on debugging (default: off)
    SECRET_KEY            required unless DEBUG is on (then a development key is used)
    ALLOWED_HOSTS         comma-separated host names (default: localhost,127.0.0.1,[::1])
    CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://example.org (default: none)
    DATABASE_URL          e.g. postgres://user:pass@host/db (default: SQLite, db.sqlite3
                          in the project root, with WAL and a busy timeout)
    HTTPS                 1 when served over HTTPS: secure cookies, HSTS, and trust of the
                          proxy's X-Forwarded-Proto header
    HSTS_SECONDS, HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD
                          with HTTPS: HSTS max-age (default one year); 1 to add
                          includeSubDomains / preload (default: off)
    STATIC_ROOT           where `manage.py collectstatic` writes (default: staticfiles/)
    MAX_TEXT_LENGTH       the longest text accepted, in characters (default: 100000)
    READINGS_PER_PAGE     words with several readings per page of the reading picker
                          (default: 100)
    ARTICLE_PAGE_LENGTH   characters of the article per page of the result page
                          (default: 5000)
    DICTIONARY_HINT_FILE  the user dictionary's change hint, a file every process of the
                          host can write (default: beside an SQLite database, else in
                          FASTPRON_DATA_DIR or the temporary folder); see webproject/dictionary/revision_hint.py
    DICTIONARY_RECHECK_SECONDS
                          how often a worker asks the database for the dictionary revision
                          with no hint of a change: the most an edit made on another host,
                          or without Django, waits to apply (default: 5)
    API_CORS_ORIGINS      comma-separated origins (https://example.org) whose pages may call
                          /api/annotate and /api/lookup from a browser, or * for any;
                          default: none (no CORS headers)
    LOG_LEVEL             default: INFO

See webproject/README.md.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
WEB_DIR = Path(__file__).resolve().parent

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set the SECRET_KEY environment variable (for example to the output of "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
            "or set DEBUG=1 for development.")
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "webproject",       # the shared templates (the admin's among them), static files, translations
    "webproject.dictionary",
    "webproject.article_pronunciation",
    "webproject.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",   # outside the rest: on every answer
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "webproject.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "webproject.middleware.LanguageMiddleware",
    "webproject.middleware.FormCharsetMiddleware",     # before anything reads request.POST
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "webproject.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "webproject.wsgi.application"

# -- database ------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several Gunicorn workers share the file: WAL lets readers run beside a
    # writer, the busy timeout makes a writer wait instead of failing, and
    # IMMEDIATE transactions take the write lock up front (no upgrade deadlock).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# -- language --------------------------------------------------------------------

LANGUAGE_CODE = "zh-hant"       # the interface is Traditional Chinese; English on request
LANGUAGES = [
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

# -- static files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Until collectstatic has run, WhiteNoise serves from the apps' folders and
# needs not say, in every worker, that STATIC_ROOT does not exist yet.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
WHITENOISE_USE_FINDERS = True       # serve app static files without collectstatic too
WHITENOISE_AUTOREFRESH = DEBUG

# -- security ------------------------------------------------------------------------

# Only the staff logs in, through the admin: after a login whose `next` was
# refused (another host), the admin's index, not Django's /accounts/profile/ (a 404).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_flag("HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS") or 31536000)
    # Both bind every subdomain, or every browser's preload list, to HTTPS for
    # a long time: a decision for the site, off unless HSTS_INCLUDE_SUBDOMAINS=1
    # / HSTS_PRELOAD=1.  While off, their `check --deploy` warnings are
    # silenced, so that `check --deploy --fail-level WARNING` passes
    # (docs/operations.md, HTTPS).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD")
    SILENCED_SYSTEM_CHECKS = [check for check, on in (("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
                                                      ("security.W021", SECURE_HSTS_PRELOAD)) if not on]
    SECURE_REDIRECT_EXEMPT = []
    LANGUAGE_COOKIE_SECURE = True

# The Content-Security-Policy of every page (webproject.middleware): scripts
# and styles from this site's static files only, so no inline script can run.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Cross-origin calls to the JSON API from other sites' pages (webproject/api/cors.py): off by default.
API_CORS_ORIGINS = env_list("API_CORS_ORIGINS")

# -- limits -------------------------------------------------------------------------

MAX_TEXT_LENGTH = int(os.environ.get("MAX_TEXT_LENGTH") or 100_000)
# Form data larger than this is refused before it is read.  It is generous so
# that a text over MAX_TEXT_LENGTH still arrives, and comes back in the form
# with a clear error instead of being lost (a CJK character is up to 12 bytes
# percent-encoded).
DATA_UPLOAD_MAX_MEMORY_SIZE = max(10 * 1024 * 1024, 16 * MAX_TEXT_LENGTH)
# The reading picker shows this many words a page: its work and size follow the
# page, not the article (one page for 100,000 × 行 was 104 MB and 21 s of CPU).
READINGS_PER_PAGE = int(os.environ.get("READINGS_PER_PAGE") or 100)
DATA_UPLOAD_MAX_NUMBER_FIELDS = READINGS_PER_PAGE + 1_000   # a page of the picker posts one field per word
# The result page (and its scripts' JSON) shows this many characters of the article a
# page (article_pronunciation/pages.py): the whole of 100,000 × 行 was 39 MB of HTML.
ARTICLE_PAGE_LENGTH = int(os.environ.get("ARTICLE_PAGE_LENGTH") or 5_000)

# -- the user dictionary -----------------------------------------------------------

DICTIONARY_HINT_FILE = os.environ.get("DICTIONARY_HINT_FILE") or None
DICTIONARY_RECHECK_SECONDS = float(os.environ.get("DICTIONARY_RECHECK_SECONDS") or 5)

# -- logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
