"""Settings for Convening: one module, read from the environment (see .env.example)."""

from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("change-me")):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random value (50 characters or more) when DEBUG is off."
    )
if not SECRET_KEY:
    SECRET_KEY = "development-only-key-never-used-with-debug-off-0123456789abcdefghij"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Behind a proxy the browser's origin is the public one: trust SITE_URL's by default.
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "convening",
    "spaces",
    "activities",
    "learning",
    "network",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "simple_history",
    "csp",
    # The JSON API; also serves its own copy of Swagger UI's files for /api/docs (no CDN).
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "convening.middleware.StripNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "convening.middleware.SessionLimitsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "convening.middleware.HtmxLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "convening.middleware.RequireMfaMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "convening.urls"
WSGI_APPLICATION = "convening.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "convening.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "convening.context_processors.service",
                "convening.context_processors.session",
            ],
        },
    },
    {
        # Only the admin and django-allauth's own pages use Django templates; our overrides of
        # them live in templates/django so the Jinja engine never sees them.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "django"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "convening.context_processors.service",
            ],
        },
    },
]

DATABASE_URL = env.str("DATABASE_URL", default="")
if DATABASE_URL:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "var" / "convening.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "convening.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="convening"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when configured; otherwise tasks run in-process, so the embedded mode needs
# no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/London"
# Real jobs only. Times are in CELERY_TIMEZONE: the reminders arrive at the start of the day.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE: dict = {
    "remind-to-log-meetings": {
        "task": "spaces.tasks.remind_to_log_meetings",
        "schedule": crontab(hour=8, minute=0),
    },
    # Learning digests: one run a day; weekly subscriptions are picked on their weekday.
    "send-learning-digests": {
        "task": "learning.tasks.run_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Digests held by a worker that died go out again minutes after their lease passes.
    "requeue-stalled-digests": {
        "task": "learning.tasks.requeue_stalled_digests",
        "schedule": crontab(minute="*/5"),
    },
    # Messages from the hub's contact form that could not be queued when they were sent.
    "send-pending-contact-messages": {
        "task": "learning.tasks.send_pending_contact_messages",
        "schedule": crontab(minute="*/10"),
    },
    # Introductions whose email could not be queued when they were made.
    "send-pending-introductions": {
        "task": "network.tasks.send_pending_introductions",
        "schedule": crontab(minute="*/10"),
    },
    # Prepared downloads older than EXPORT_FILE_DAYS, and jobs stranded by a dead worker.
    "delete-expired-exports": {
        "task": "convening.tasks.delete_expired_exports",
        "schedule": crontab(minute=15),
    },
}

AUTH_USER_MODEL = "convening.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "programme_list"

# django-allauth: email login, no open sign-up (people join by invitation), codes by email.
# Our own page when a form's CSRF token is missing or stale, showing back what was typed.
CSRF_FAILURE_VIEW = "convening.views.errors.csrf_failure"

ACCOUNT_ADAPTER = "convening.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "convening.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Convening: "
# allauth's rate limits are on by default (failed sign-ins: 10 a minute per address, 5 in five
# minutes per account); they count in the cache, which is Redis whenever REDIS_URL is set.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Convening"
# Leads and staff must turn on an authenticator app: on whenever DEBUG is off.
REQUIRE_MFA_FOR_LEADS = env.bool("REQUIRE_MFA_FOR_LEADS", default=not DEBUG)

# NHS sign-in: a work Microsoft account (Microsoft Entra ID; NHSmail is one) through allauth's
# OpenID Connect provider (convening/signin). With no client id, no button shows and the
# provider's addresses answer 404. The server URL is for another issuer (the tests' loopback).
NHS_SIGN_IN_TENANT = env.str("NHS_SIGN_IN_TENANT", default="")
NHS_SIGN_IN_CLIENT_ID = env.str("NHS_SIGN_IN_CLIENT_ID", default="")
NHS_SIGN_IN_SECRET = env.str("NHS_SIGN_IN_SECRET", default="")
NHS_SIGN_IN_NAME = env.str("NHS_SIGN_IN_NAME", default="NHS work account")
NHS_SIGN_IN_SERVER_URL = env.str(
    "NHS_SIGN_IN_SERVER_URL",
    default=f"https://login.microsoftonline.com/{NHS_SIGN_IN_TENANT}/v2.0"
    if NHS_SIGN_IN_TENANT
    else "",
)
# An Entra ID authentication context (e.g. "c1") whose Conditional Access policy requires MFA.
NHS_SIGN_IN_MFA_AUTH_CONTEXT = env.str("NHS_SIGN_IN_MFA_AUTH_CONTEXT", default="")
if NHS_SIGN_IN_CLIENT_ID and not (NHS_SIGN_IN_SECRET and NHS_SIGN_IN_SERVER_URL):
    raise ImproperlyConfigured(
        "NHS sign-in needs NHS_SIGN_IN_SECRET and NHS_SIGN_IN_TENANT as well as "
        "NHS_SIGN_IN_CLIENT_ID."
    )
SOCIALACCOUNT_ADAPTER = "convening.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "convening.signin.provider.NhsSignInProvider",
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "nhs",
                "name": NHS_SIGN_IN_NAME,
                "client_id": NHS_SIGN_IN_CLIENT_ID,
                "secret": NHS_SIGN_IN_SECRET,
                "settings": {
                    "server_url": NHS_SIGN_IN_SERVER_URL,
                    "token_auth_method": "client_secret_post",
                },
            }
        ]
        if NHS_SIGN_IN_CLIENT_ID
        else [],
    }
}
# Access tokens are not kept: we only need to know who signed in, and how.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

# Sessions end after 30 minutes idle and 12 hours at most (convening.middleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_IDLE_SECONDS = 30 * 60
SESSION_MAX_SECONDS = 12 * 60 * 60
# The warning that offers to keep the session going comes this long before it would end.
SESSION_WARNING_SECONDS = 5 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
# Strict by default; a deployment sharing its parent domain with plain-http sites turns these off.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# django-csp 4: no inline script and no eval; the nhsuk template's one inline script gets a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# A mail server that never answers must not hold a web worker or a job for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Convening <convening@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed names after collectstatic in production; plain names in development and
# tests, which serve straight from static/ through the finders.
STATICFILES_MANIFEST = env.bool("STATICFILES_MANIFEST", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATICFILES_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
    # Prepared downloads (large spreadsheets, programme archives): outside static/ and any
    # served URL; only the download view reads them, for the person who asked.
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("EXPORT_FILES_ROOT", default=str(BASE_DIR / "var"))},
    },
}
# An XLSX download of more rows than this is prepared by a job, with a link when it is ready;
# smaller ones (and every CSV, which streams) are sent at once.
EXPORT_JOB_THRESHOLD_ROWS = env.int("EXPORT_JOB_THRESHOLD_ROWS", default=5000)
# Prepared downloads are deleted this many days after they were asked for.
EXPORT_FILE_DAYS = env.int("EXPORT_FILE_DAYS", default=7)
# Tests and `make run` serve files straight from static/ without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
WHITENOISE_MANIFEST_STRICT = False

# Branding: our own simple mark by default; an organisation's logo when configured.
SERVICE_NAME = "Convening"
ORGANISATION_NAME = env.str("ORGANISATION_NAME", default="")
ORGANISATION_LOGO_URL = env.str("ORGANISATION_LOGO_URL", default="")
if ORGANISATION_LOGO_URL.startswith("https://"):
    # The policy allows images from the logo's own origin, and nothing else outside ours.
    _logo_origin = "/".join(ORGANISATION_LOGO_URL.split("/")[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_logo_origin)
if NHS_SIGN_IN_CLIENT_ID:
    # The NHS sign-in button posts to us and is redirected to the provider; browsers apply
    # form-action to that redirect too, so the provider's origin is allowed there.
    _sign_in_origin = "/".join(NHS_SIGN_IN_SERVER_URL.split("/")[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_sign_in_origin)

INVITATION_DAYS = 7

# Data rights: people with no activity for longer than this are anonymised each night, once a
# data protection officer has confirmed the period in the admin (convening.personal_data).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)
if RETENTION_YEARS < 1:
    raise ImproperlyConfigured("RETENTION_YEARS must be a whole number of years, 1 or more.")
# The admin's history pages show what changed but never offer to put an old version back.
SIMPLE_HISTORY_REVERT_DISABLED = True
CELERY_BEAT_SCHEDULE["apply-retention"] = {
    "task": "convening.tasks.apply_retention",
    "schedule": crontab(hour=2, minute=30),
}

# Network snapshots (DESIGN section 11): a sweep every two minutes builds the programmes whose
# attendance or people changed, each at most once per NETWORK_BUILD_INTERVAL seconds, and the
# installation's at most once per NETWORK_INSTALLATION_INTERVAL. Without a worker (the
# embedded mode) a page builds a stale snapshot in its own process instead.
NETWORK_BUILD_INTERVAL = env.int("NETWORK_BUILD_INTERVAL", default=180)
NETWORK_INSTALLATION_INTERVAL = env.int("NETWORK_INSTALLATION_INTERVAL", default=1800)
NETWORK_BUILD_IN_PROCESS = env.bool("NETWORK_BUILD_IN_PROCESS", default=CELERY_TASK_ALWAYS_EAGER)
CELERY_BEAT_SCHEDULE["build-network-snapshots"] = {
    "task": "network.tasks.sweep",
    "schedule": crontab(minute="*/2"),
}

# JSON API: requests per token (or per signed-in browser), as "number/period" (s, m, h, d).
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/m")

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# One handler, on the root logger. Django's own default configuration gives its "django" logger
# a console handler of its own (when DEBUG is on) that also passes each record up to the root,
# which printed every django.* line twice: here that logger has no handler and only passes
# records up. django.server (runserver's request lines) keeps Django's own handler and format.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}
