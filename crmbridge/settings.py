"""Django settings for CRM Bridge.

Configuration comes only from environment variables (or a `.env` file beside manage.py), read
with django-environ. Every variable is documented in `.env.example` and the README. Switching
SQLite to PostgreSQL (`DATABASE_URL`) or the ORM broker to Redis (`REDIS_URL`) needs no code
change.
"""

import os
from pathlib import Path

import environ

from crmbridge.env import proxy_ssl_header

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    REDIS_URL=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    SALESFORCE_LOGIN_URL=(str, "https://login.salesforce.com"),
    SALESFORCE_LOGIN_CLIENT_ID=(str, ""),
    SALESFORCE_LOGIN_CLIENT_SECRET=(str, ""),
    Q_WORKERS=(int, 2),
    LOG_LEVEL=(str, "INFO"),
)
environ.Env.read_env(BASE_DIR / ".env")

# The CA bundle Salesforce calls trust: a private endpoint's (`make demo` writes one with the
# emulator's CA into .env). It wins over a REQUESTS_CA_BUNDLE the shell already carries (on
# many machines it names the system's CAs); a relative path is relative to this checkout.
# requests reads it from the environment.
if env.str("SALESFORCE_CA_BUNDLE", default=""):
    os.environ["REQUESTS_CA_BUNDLE"] = str(BASE_DIR / env.str("SALESFORCE_CA_BUNDLE"))

SECRET_KEY = env("SECRET_KEY")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

# Fernet key(s) for secrets at rest; several comma-separated keys allow rotation (first encrypts).
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.salesforce",
    "django_q",
    "ninja",
    "encrypted_model_fields",
    "tracking",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "crmbridge.urls"
WSGI_APPLICATION = "crmbridge.wsgi.application"
ASGI_APPLICATION = "crmbridge.asgi.application"

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
            ],
        },
    },
]

# Embedded default: one SQLite file in WAL mode with a busy timeout, so the web server and
# the task cluster can share it. Any DATABASE_URL (e.g. postgres://…) replaces it.
SQLITE_URL = f"sqlite:///{BASE_DIR / 'var' / 'crmbridge.sqlite3'}"
DATABASES = {"default": env.db_url_config(env.str("DATABASE_URL", default="") or SQLITE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_ADAPTER = "crmbridge.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "crmbridge.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # the adapter matches the seat (user id, then email)
SOCIALACCOUNT_STORE_TOKENS = False  # sign-in only; the sync's API access is the Connection's
SOCIALACCOUNT_PROVIDERS = {
    "salesforce": {
        "APPS": (
            [
                {
                    "client_id": env("SALESFORCE_LOGIN_CLIENT_ID"),
                    "secret": env("SALESFORCE_LOGIN_CLIENT_SECRET"),
                    # allauth's Salesforce provider takes the login URL from the app key:
                    # production, https://test.salesforce.com or a My Domain URL.
                    "key": env("SALESFORCE_LOGIN_URL").rstrip("/"),
                }
            ]
            if env("SALESFORCE_LOGIN_CLIENT_ID")
            else []
        ),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
# This server's public address, for links in emails (survey invitations).
SITE_URL = env("SITE_URL")

# The ingestion API takes up to 1,000 records per request; bodies above this get HTTP 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# django-q2: the ORM broker by default (nothing to install); Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "crmbridge",
    "workers": env("Q_WORKERS"),
    "timeout": 600,
    "retry": 720,
    "max_attempts": 3,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 1000,
    "label": "Tasks",
}
if env("REDIS_URL"):
    Q_CLUSTER["redis"] = env("REDIS_URL")
else:
    Q_CLUSTER["orm"] = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
}

# --- Security hardening: HTTPS behind a proxy, HSTS, cookies, static files, logs ----------------
# Behind a proxy that terminates TLS, SECURE_PROXY_SSL_HEADER names the header the proxy sets
# on HTTPS requests ("X-Forwarded-Proto,https"; the value defaults to https). Only set it when
# the proxy always sets or strips that header: Django then believes it.
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(env.str("SECURE_PROXY_SSL_HEADER", default=""))
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# Static files (the admin's CSS) are served by the application itself, DEBUG or not: WhiteNoise,
# right after the security middleware, from STATIC_ROOT (filled by `collectstatic`).
INSTALLED_APPS.insert(
    INSTALLED_APPS.index("django.contrib.staticfiles"), "whitenoise.runserver_nostatic"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# No log line carries an ingestion API key (the console handler redacts any that slips in).
LOGGING["filters"] = {"redact_api_keys": {"()": "crmbridge.log_filters.RedactApiKeys"}}
LOGGING["handlers"]["console"]["filters"] = ["redact_api_keys"]
# --- end of security hardening -----------------------------------------------------------------
