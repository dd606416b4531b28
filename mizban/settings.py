"""Settings for every environment, read from the environment through strict helpers.

DJANGO_ENV chooses the profile: `development` (the default, what `make run` uses), `test`
or `production`. Production refuses to start without its secrets and services.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from mizban import embedded
from lib.log_redaction import install_record_redaction, sentry_before_send
from mizban.env import env_bool, env_float, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development, test or production, not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test"

DEBUG = env_bool("DJANGO_DEBUG", DJANGO_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
else:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-" + "m" * 40)

# --- The platform's hosts -------------------------------------------------------------
# Tenants live on <slug>.PLATFORM_DOMAIN; the bare PLATFORM_DOMAIN is the public site.
PLATFORM_DOMAIN = env_str("PLATFORM_DOMAIN", "localhost").lower()
PLATFORM_URL_SCHEME = env_str("PLATFORM_URL_SCHEME", "https" if PRODUCTION else "http")
PLATFORM_PORT = env_int("PLATFORM_PORT", 0 if PRODUCTION else 8000)

# ALLOWED_HOSTS is the platform domain, its subdomains, and the request's own host when it is
# a verified custom domain (found in the cached host map by the tenancy middleware: lib/hosts.py).
from lib.hosts import PlatformAllowedHosts  # noqa: E402

ALLOWED_HOSTS = PlatformAllowedHosts([PLATFORM_DOMAIN, "." + PLATFORM_DOMAIN] + env_list("EXTRA_ALLOWED_HOSTS"))

# --- Applications ---------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "accounts",
    "notifications",
    "billing",
    "registry",
    "insights",
    "linked_data",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
]
# Every tenant schema holds its own users and sessions (never auth per tenant with shared
# sessions: django-tenants docs/security.rst). Not Django's groups, permissions and content
# types: no tenant uses them (accounts.User has a role), so auth and contenttypes are shared
# apps only and their tables are in the public schema alone (accounts.0008).
TENANT_APPS = [
    "django.contrib.sessions",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "portal_themes",
    "notifications",
    "catalog",
    "payments",
    "intake",
    "open311",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "mizban.urls_public"
ROOT_URLCONF = "mizban.urls_tenant"
TENANT_LIMIT_SET_CALLS = True
# New tenants are copied from this schema (see tenants/provisioning.py).
TENANT_TEMPLATE_SCHEMA = "tmpl_mizban"
TENANT_TRIAL_DAYS = env_int("TENANT_TRIAL_DAYS", 30)
# Ready copies of the template that onboarding renames (tenants/spares.py), and how many the
# worker makes at once. None in the tests but theirs: each onboarding test copies the template.
TENANT_SPARE_SCHEMAS = env_int("TENANT_SPARE_SCHEMAS", 0 if TESTING else 8)
TENANT_SPARE_PARALLEL = env_int("TENANT_SPARE_PARALLEL", 8)
TENANT_SPARE_QUEUE = env_str("TENANT_SPARE_QUEUE", "")  # empty: the default queue
TENANT_SPARE_WAIT_SECONDS = env_float("TENANT_SPARE_WAIT_SECONDS", 5.0)
# `migrate_tenants` (tenants/schema_migrations.py): schemas migrated at once, each on its own
# connection; how long a schema's migration waits for a lock or runs one statement before it
# gives up and is retried later in the run (seconds); and how many times it is tried.
TENANT_MIGRATE_JOBS = env_int("TENANT_MIGRATE_JOBS", 4)
TENANT_MIGRATE_LOCK_TIMEOUT = env_float("TENANT_MIGRATE_LOCK_TIMEOUT", 5.0)
TENANT_MIGRATE_STATEMENT_TIMEOUT = env_float("TENANT_MIGRATE_STATEMENT_TIMEOUT", 300.0)
TENANT_MIGRATE_ATTEMPTS = env_int("TENANT_MIGRATE_ATTEMPTS", 3)
# `seed_demo` (make run): steps other apps add, run once, then for each demo tenant.
DEMO_PLATFORM_STEPS = ["catalog.demo.registry_demo_load"]
DEMO_TENANT_STEPS = ["catalog.demo.catalog_demo_for_tenant", "intake.demo.intake_demo_for_tenant"]
DEMO_FINAL_STEPS = ["insights.services.rollup_demo"]  # after every demo tenant

MIDDLEWARE = [
    # Observability first (README, Observability): django-prometheus' request metrics, the request's
    # ID for every log line, our metrics by tenant kind, and /metrics for an authorised scraper.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "lib.log_context.RequestIdMiddleware",
    "mizban.metrics.RequestMetricsMiddleware",
    "mizban.metrics.MetricsEndpointMiddleware",
    # Then, so that every answer carries the policies: the host's 404, a suspended tenant's 503.
    "mizban.content_security_policy.KeptPolicyCSPMiddleware",  # django-csp's, its policy built once
    "mizban.permissions_policy.PermissionsPolicyMiddleware",
    "lib.bad_input.RejectNulBytesMiddleware",  # before any view or query: PostgreSQL refuses NUL
    "tenants.middleware.TenantResolutionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tenants.middleware.TenantLifecycleMiddleware",
    "portal_themes.brand.BrandingPreviewMiddleware",  # a previewing admin's PDFs show the draft (lib/branding.py)
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
# /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (on any host); empty: off.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

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
                "portal_themes.context_processors.theme",
            ],
        },
    },
]

WSGI_APPLICATION = "mizban.wsgi.application"
ASGI_APPLICATION = "mizban.asgi.application"

# --- Components: PostgreSQL and Redis -------------------------------------------------
if not os.environ.get("DATABASE_URL"):
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL is required in production.")
    os.environ["DATABASE_URL"] = embedded.start_postgres()
    EMBEDDED_POSTGRES = True
else:
    EMBEDDED_POSTGRES = False

_database = environ.Env.db_url_config(os.environ["DATABASE_URL"])
_database["ENGINE"] = "django_tenants.postgresql_backend"
_database["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0)
# A kept connection is checked before a request reuses it: after PostgreSQL restarts, the next
# request connects afresh instead of failing on the dead connection.
_database["CONN_HEALTH_CHECKS"] = True
_database.setdefault("TEST", {})
if os.environ.get("DATABASE_TEST_NAME"):
    _database["TEST"]["NAME"] = os.environ["DATABASE_TEST_NAME"]
DATABASES = {"default": _database}
# A connection pooler between us and PostgreSQL (README, "Pooling"). `make run PGBOUNCER=1`
# starts a local PgBouncer in session mode (lib/pgbouncer.py) on PGBOUNCER_PORT and points
# web, worker and beat at it. Behind your own pooler, declare its pool mode: tenancy keeps each
# connection's search_path for the whole session, which transaction (or statement) pooling
# would hand to other clients' transactions, so those modes refuse to start.
PGBOUNCER = env_bool("PGBOUNCER", False)
PGBOUNCER_PORT = env_int("PGBOUNCER_PORT", 6432)
DATABASE_POOL_MODE = env_str("DATABASE_POOL_MODE", "")  # empty: direct connections
if DATABASE_POOL_MODE not in {"", "session", "transaction", "statement"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOL_MODE must be empty (direct connections), session, transaction or statement, not {DATABASE_POOL_MODE!r}."
    )
if DATABASE_POOL_MODE in {"transaction", "statement"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOL_MODE={DATABASE_POOL_MODE}: Mizban supports session pooling only. Each tenant's requests "
        "set the connection's search_path once per session (django-tenants), and a pooler in "
        f"{DATABASE_POOL_MODE} mode hands that server connection to other clients between transactions, so one "
        "tenant's request could read and write another tenant's schema. Set PgBouncer's pool_mode = session "
        "(and DATABASE_POOL_MODE=session), or connect to PostgreSQL directly. See README, Pooling."
    )
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# The database is the coordinator of a Citus cluster with schema-based sharding (README,
# "Citus"): every tenant schema is distributed to one worker, the public schema stays on the
# coordinator. Off: one PostgreSQL, the default (make run, make test).
DATABASE_CITUS = env_bool("DATABASE_CITUS", False)
# django-tenants wraps this backend: Django's, with ids from two sequences shared by every table
# instead of a sequence per table (lib/postgresql/base.py; README, "Relations per tenant").
ORIGINAL_BACKEND = "lib.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS_IN_PROCESS = False
if not REDIS_URL and not env_bool("MIZBAN_NO_EMBEDDED_REDIS", False):
    if PRODUCTION:
        raise ImproperlyConfigured("REDIS_URL is required in production.")
    REDIS_URL = embedded.start_redis() or ""
    if REDIS_URL:
        os.environ["REDIS_URL"] = REDIS_URL
if not REDIS_URL:
    # Last resort: no broker at all. Tasks then run inside the web process; `make run` says so.
    TASKS_IN_PROCESS = True

# "default" is per tenant (django-tenants' key function); "platform" holds what every host
# shares, such as the host -> tenant map. A Redis that does not answer within these time-outs
# is left alone for REDIS_RETRY_SECONDS and the cache lives in the process's memory meanwhile
# (lib/cache.py). The test suite caches in memory unless MIZBAN_REDIS_CACHE=1 (the fault tests'
# server, tests/faults/).
REDIS_CONNECT_TIMEOUT_SECONDS = env_float("REDIS_CONNECT_TIMEOUT_SECONDS", 0.5)
REDIS_SOCKET_TIMEOUT_SECONDS = env_float("REDIS_SOCKET_TIMEOUT_SECONDS", 1.0)
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5.0)
if min(REDIS_CONNECT_TIMEOUT_SECONDS, REDIS_SOCKET_TIMEOUT_SECONDS, REDIS_RETRY_SECONDS) <= 0:
    raise ImproperlyConfigured("REDIS_CONNECT_TIMEOUT_SECONDS, REDIS_SOCKET_TIMEOUT_SECONDS and REDIS_RETRY_SECONDS must be positive.")
if REDIS_URL and env_bool("MIZBAN_REDIS_CACHE", not TESTING):
    _cache = {
        "BACKEND": "lib.cache.PooledRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
            "RETRY_SECONDS": REDIS_RETRY_SECONDS,
        },
    }
else:
    _cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {
    "default": {
        **_cache,
        "KEY_FUNCTION": "lib.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    },
    "platform": {**_cache, "KEY_PREFIX": "platform"},
}
if _cache["BACKEND"].endswith("LocMemCache"):
    CACHES["platform"]["LOCATION"] = "platform"
# Each tenant's published theme (portal_themes.selectors): one copy for every process that
# serves pages, so that a publish reaches all web workers at once. Redis whenever there is one,
# the tests' included (their test server runs two gunicorn workers); each test run and xdist
# worker (with the server it starts) keeps its own keys.
CACHES["themes"] = (
    {"BACKEND": "lib.cache.PooledRedisCache", "LOCATION": REDIS_URL,
     "OPTIONS": {"socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS, "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
                 "RETRY_SECONDS": REDIS_RETRY_SECONDS},
     "KEY_PREFIX": f"themes:{DJANGO_ENV}:{os.environ.get('PYTEST_XDIST_WORKER', '')}" if TESTING else "themes"}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "themes"}
)
CACHES["themes"].update(KEY_FUNCTION="lib.cache.make_key", REVERSE_KEY_FUNCTION="django_tenants.cache.reverse_key")
# How long a web process keeps what the portal's catalogue pages read (the service tree, a
# card), under the tenant's catalogue generation, which every write to a card renews
# (lib/generations.py); the tenant's message templates are kept as long, under their own.
# 0: read the database on every page (the suite, except the tests of it).
PORTAL_CATALOGUE_KEEP_SECONDS = env_float("PORTAL_CATALOGUE_KEEP_SECONDS", 0 if TESTING else 60)

# --- Celery ---------------------------------------------------------------------------
# The broker is REDIS_URL unless CELERY_BROKER_URL names another server (the cache stays on REDIS_URL).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "") or REDIS_URL or "memory://"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu's, but a worker survives Redis going away while it runs a task (the module says how).
    CELERY_BROKER_TRANSPORT = "mizban.broker_transport:Transport"
CELERY_RESULT_BACKEND = None
# Tests run tasks in-process unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = TASKS_IN_PROCESS or env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "mizban")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# The console SMS gateway prints to standard output (the developer's phone); the worker would
# otherwise turn that into a log record, which is redacted of codes.
CELERY_WORKER_REDIRECT_STDOUTS = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Queuing a task must not keep a request waiting when the broker is down: short time-outs, one
# quick retry, and (mizban/celery.py) a breaker that skips the broker for REDIS_RETRY_SECONDS
# after it failed; what was not queued stays in an outbox or is done in-process.
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2,
    # A worker's BRPOP answers within a second; a publish to a hung broker gives up after this.
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS, "socket_timeout": 3 * REDIS_SOCKET_TIMEOUT_SECONDS,
}
CELERY_TIMEZONE = "Asia/Tehran"
# A worker writes its heartbeat this often; /healthz calls it gone after three missed beats.
WORKER_HEARTBEAT_SECONDS = env_float("WORKER_HEARTBEAT_SECONDS", 5.0)
if WORKER_HEARTBEAT_SECONDS <= 0:
    raise ImproperlyConfigured("WORKER_HEARTBEAT_SECONDS must be a positive number.")
CELERY_BEAT_SCHEDULE = {
    # Spare schemas for onboarding, in case a refill after an onboarding was missed.
    "spare-schemas-refill": {"task": "tenants.tasks.spare_schemas_refill", "schedule": crontab(minute="*/10")},
    # The national registry's mirror, from REGISTRY_SOURCE_URL or REGISTRY_SOURCE_FILE.
    "registry-sync-nightly": {
        "task": "registry.tasks.registry_sync_nightly",
        "schedule": crontab(hour=env_int("REGISTRY_SYNC_HOUR", 2), minute=30),
    },
}

# --- The national registry's mirror (registry/, docs/registry.md) ----------------------
# One of the two is the nightly source; `sync_registry --file/--url` overrides it per run.
REGISTRY_SOURCE_URL = env_str("REGISTRY_SOURCE_URL", "")
_sample_registry = BASE_DIR / "registry" / "demo" / "gservice_sample.csv"  # a copy of shared/data
REGISTRY_SOURCE_FILE = env_str(
    "REGISTRY_SOURCE_FILE", str(_sample_registry) if DJANGO_ENV == "development" and _sample_registry.exists() else ""
)
REGISTRY_HTTP_TIMEOUT = env_int("REGISTRY_HTTP_TIMEOUT", 30)  # seconds per request
REGISTRY_HTTP_RETRIES = env_int("REGISTRY_HTTP_RETRIES", 3)
REGISTRY_HTTP_BACKOFF = float(env_str("REGISTRY_HTTP_BACKOFF", "1.0"))  # seconds, doubled per retry

# --- Billing: plans and Stripe subscriptions (billing/, docs/billing.md) --------------
# Without a secret key nothing is sent to Stripe: billing steps wait, pages say so.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# Empty means Stripe itself; http://127.0.0.1:8420 for a local `localstripe`.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", 20)
if STRIPE_SECRET_KEY and not STRIPE_WEBHOOK_SECRET and PRODUCTION:
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set.")
BILLING_GRACE_DAYS = env_int("BILLING_GRACE_DAYS", 7)  # past due -> suspended after this
CELERY_BEAT_SCHEDULE.update({
    "billing-steps-retry": {"task": "billing.tasks.billing_steps_retry_task", "schedule": 300.0},
    "billing-overdue": {"task": "billing.tasks.billing_overdue_task", "schedule": 900.0},
})

# --- SMS and one-time codes (notifications/, docs/notifications.md) -------------------
SMS_GATEWAY = env_str("SMS_GATEWAY", "console")
if SMS_GATEWAY not in {"console", "kavenegar"}:
    raise ImproperlyConfigured(f"SMS_GATEWAY must be console or kavenegar, not {SMS_GATEWAY!r}.")
KAVENEGAR_API_KEY = env_str("KAVENEGAR_API_KEY", "")
KAVENEGAR_SENDER = env_str("KAVENEGAR_SENDER", "")  # empty: the account's default line
KAVENEGAR_API_BASE = env_str("KAVENEGAR_API_BASE", "https://api.kavenegar.com")
KAVENEGAR_TIMEOUT_SECONDS = env_int("KAVENEGAR_TIMEOUT_SECONDS", 10)
if PRODUCTION and SMS_GATEWAY == "console":
    # The console gateway writes one-time codes, tracking codes and survey links into the log
    # and marks every message sent: production refuses it (also notifications.checks for --deploy).
    raise ImproperlyConfigured(
        "SMS_GATEWAY=console cannot run in production: it writes one-time codes into the log and sends nothing. "
        "Set SMS_GATEWAY=kavenegar with KAVENEGAR_API_KEY."
    )
if SMS_GATEWAY == "kavenegar" and not KAVENEGAR_API_KEY:
    raise ImproperlyConfigured("KAVENEGAR_API_KEY is required when SMS_GATEWAY is kavenegar.")
SMS_MAX_RETRIES = env_int("SMS_MAX_RETRIES", 5)  # after the first attempt
SMS_RETRY_BACKOFF_SECONDS = float(env_str("SMS_RETRY_BACKOFF_SECONDS", "10"))  # doubled per retry
SMS_REQUEUE_MAX_AGE_HOURS = env_int("SMS_REQUEUE_MAX_AGE_HOURS", 24)
SMS_REQUEUE_GRACE_SECONDS = env_int("SMS_REQUEUE_GRACE_SECONDS", 600)  # leave young messages to their retries
# A one-time code lives OTP_TTL_SECONDS: the sweep tries a waiting one after this, while it is alive.
SMS_REQUEUE_CODE_GRACE_SECONDS = env_int("SMS_REQUEUE_CODE_GRACE_SECONDS", 60)
OTP_TTL_SECONDS = env_int("OTP_TTL_SECONDS", 600)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_RESEND_SECONDS = env_int("OTP_RESEND_SECONDS", 60)  # one code per mobile and subject in this time
OTP_HOURLY_LIMIT = env_int("OTP_HOURLY_LIMIT", 10)  # codes per mobile per hour, whatever the subject
CELERY_BEAT_SCHEDULE["sms-requeue"] = {"task": "tenants.tasks.sms_requeue_all_tenants", "schedule": 300.0}

# --- Tracking look-ups, web page and API alike (intake/tracking.py, docs/intake-api.md) -
INTAKE_TRACK_WINDOW_SECONDS = env_int("INTAKE_TRACK_WINDOW_SECONDS", 600)
INTAKE_TRACK_LIMIT_PER_IP = env_int("INTAKE_TRACK_LIMIT_PER_IP", 30)  # look-ups per IP per window
INTAKE_TRACK_LIMIT_PER_CODE = env_int("INTAKE_TRACK_LIMIT_PER_CODE", 10)  # look-ups per code per window
for _name in ("INTAKE_TRACK_WINDOW_SECONDS", "INTAKE_TRACK_LIMIT_PER_IP", "INTAKE_TRACK_LIMIT_PER_CODE"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be a positive number.")

# --- The client's IP, which every per-IP limit counts (lib/client_ip.py) ---------------
# X-Forwarded-For is believed only from our own proxies: how many stand in front of the
# application (the direct peer is the first) and/or their addresses. None by default.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_HOPS must be 0 or more.")
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")

# --- Auth: django-allauth for staff (e-mail, password, optional TOTP) -----------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Staff: e-mail and password. Citizens: mobile number and a code by SMS (login by code;
# the adapter's phone methods keep the number on accounts.User).
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = OTP_TTL_SECONDS
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = OTP_MAX_ATTEMPTS
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_FORMS = {"request_login_code": "accounts.forms.CitizenRequestLoginCodeForm",
                 "confirm_login_code": "accounts.forms.CitizenConfirmLoginCodeForm"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# E-mail confirmation keys are random rows of the tenant's own schema: allauth's default, a
# key signed with the one SECRET_KEY, names the address by its id only, so a key a user got
# on one tenant's host confirmed the address with the same id on every other tenant's.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # invitation links live a week
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "میزبان"
# A code read off a phone at the end of its 30 s is often checked in the next period (RFC 6238
# §5.2 allows one step of delay); allauth still refuses a code used once for the whole window.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Never SESSION_COOKIE_DOMAIN: a session cookie must stay on the host that set it.

# --- Internationalisation: Persian first ----------------------------------------------
# Persian only, whatever the browser asks for: no LocaleMiddleware, and no second language for
# Django or allauth to fall back on (README, "Persian only").
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env_str("MEDIA_ROOT", str(embedded.data_dir() / "media"))
# Files are stored per tenant: MEDIA_ROOT/<schema>/...
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
# Where uploads go (README, "Media in object storage"): `filesystem`, MEDIA_ROOT/<schema>/ (make run,
# tests), or `s3`, an S3-compatible bucket under <MEDIA_S3_PREFIX>/<schema>/ (production's default).
# Either way no file has a public URL: the product's views stream each one after checking who asks.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "s3" if PRODUCTION else "filesystem")
if MEDIA_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
MEDIA_S3_PREFIX = env_str("MEDIA_S3_PREFIX", "")  # inside the bucket, before each tenant's schema
if MEDIA_STORAGE == "s3" and not os.environ.get("MEDIA_S3_BUCKET"):
    raise ImproperlyConfigured(
        "MEDIA_S3_BUCKET is required when MEDIA_STORAGE is s3 (production's default): the bucket that holds "
        "tenants' files. MEDIA_STORAGE=filesystem keeps them under MEDIA_ROOT instead (one machine only)."
    )
if MEDIA_STORAGE == "s3":
    _media_default = {"BACKEND": "lib.storage.TenantS3Storage", "OPTIONS": {
        "bucket_name": env_str("MEDIA_S3_BUCKET"),
        "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,  # empty: AWS's own
        "region_name": env_str("MEDIA_S3_REGION", "") or None,
        "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID", "") or None,  # empty: the pod's role or environment
        "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
        "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE", "path"),  # what most S3-compatible stores want
        "signature_version": "s3v4",
        "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 60),  # a signed URL's life, where one is made
    }}
else:
    _media_default = {"BACKEND": "django_tenants.files.storage.TenantFileSystemStorage"}
STORAGES = {
    "default": _media_default,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start without it

# --- E-mail ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"noreply@{PLATFORM_DOMAIN}")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(embedded.data_dir() / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Refusals carry stable codes beside the Persian messages (lib/api_errors.py).
    "EXCEPTION_HANDLER": "lib.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mizban API",
    "VERSION": "1.0.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # GeoReport v2's XML twins are the same views as the JSON ones: the schema shows JSON only.
    "PREPROCESSING_HOOKS": ["open311.api_schema.drop_xml"],
}
# Open311's media_url: the exact host names a document may be fetched from (none: off).
OPEN311_MEDIA_HOSTS = env_list("OPEN311_MEDIA_HOSTS")

# --- Security -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REFERRER_POLICY = "same-origin"
# CSRF on another port in development: the origin is checked against the host anyway.

# Content-Security-Policy (README, Security): scripts only from our static files (no inline
# script or event handler anywhere), styles from our stylesheet plus the inline `style`
# attributes and the theme's colours that pages and charts are drawn with.
_STRIPE_PAGES = ["https://checkout.stripe.com", "https://billing.stripe.com"]
if STRIPE_API_BASE:  # the local test Stripe serves its Checkout and portal pages itself
    _STRIPE_PAGES.append(STRIPE_API_BASE.rstrip("/"))
# The wizard's pay button POSTs here and is redirected to the gateway's page (payments/).
PAYMENTS_ZARINPAL_BASE = env_str("PAYMENTS_ZARINPAL_BASE", "https://payment.zarinpal.com")
PAYMENTS_ZARINPAL_SANDBOX_BASE = env_str("PAYMENTS_ZARINPAL_SANDBOX_BASE", "https://sandbox.zarinpal.com")
PAYMENTS_SEP_BASE = env_str("PAYMENTS_SEP_BASE", "https://sep.shaparak.ir")
_PAYMENT_PAGES = sorted({base.rstrip("/") for base in (PAYMENTS_ZARINPAL_BASE, PAYMENTS_ZARINPAL_SANDBOX_BASE, PAYMENTS_SEP_BASE)})
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Billing's buttons POST here and are redirected to Stripe's pages: Chromium checks
        # a form's redirects against form-action too.
        "form-action": ["'self'", *_STRIPE_PAGES, *_PAYMENT_PAGES],
    },
}
# Powerful features no page of ours uses, refused to every page (mizban/permissions_policy.py).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# --- Sentry, tagged with the tenant in tenants.middleware -----------------------------
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        # A task's error is reported with its tenant's schema as the tag `tenant` (mizban/celery.py).
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=DJANGO_ENV,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
        before_send=sentry_before_send,  # codes and sensitive parameters never leave (lib/log_redaction.py)
        before_send_transaction=sentry_before_send,
    )

# No log line holds a tracking, national or one-time code (lib/log_redaction.py): every record
# of the process is redacted where it is made (Celery's and gunicorn's loggers included), and
# each handler configured here redacts too, runserver's access log among them.
install_record_redaction()
# `json` (production's default): one JSON object per line with the tenant's schema and the
# request's ID (lib/log_context.py; gunicorn.conf.py does the same for gunicorn's own lines).
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
_JSON_LOGS = LOG_FORMAT == "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_codes": {"()": "lib.log_redaction.RedactCodesFilter"}},
    "formatters": {"django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
                   "json": {"()": "lib.log_context.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": sys.stderr, "filters": ["redact_codes"],
                    **({"formatter": "json"} if _JSON_LOGS else {})},
        "django.server": {"class": "logging.StreamHandler", "formatter": "json" if _JSON_LOGS else "django.server",
                          "filters": ["redact_codes"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING" if TESTING else "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own handlers for these (DEFAULT_LOGGING) are replaced by the redacting ones.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# --- Staff work on requests (intake/casework/digests.py, intake/surveys/services.py, docs/staff-work.md) --
CELERY_BEAT_SCHEDULE["intake-late-stages"] = {"task": "intake.tasks.late_stages_notify_all_tenants", "schedule": crontab(hour=7, minute=0)}
CELERY_BEAT_SCHEDULE["insights-rollup-nightly"] = {"task": "insights.tasks.insights_rollup_nightly", "schedule": crontab(hour=3, minute=15)}
INSIGHTS_MIN_REQUESTS = env_int("INSIGHTS_MIN_REQUESTS", 30)  # fewer in the period: shown apart, not ranked
# After a request is submitted its tenant is rolled up this much later, once for every submit in between.
INSIGHTS_ROLLUP_DELAY_SECONDS = env_int("INSIGHTS_ROLLUP_DELAY_SECONDS", 300)
CELERY_BEAT_SCHEDULE["intake-surveys-due"] = {"task": "intake.tasks.surveys_due_send_all_tenants", "schedule": 3600.0}

# --- Fee payments (payments/, docs/payments.md) ------------------------------------------
PAYMENTS_CREDENTIALS_KEY = env_str("PAYMENTS_CREDENTIALS_KEY", "")  # empty: derived from SECRET_KEY
PAYMENTS_HTTP_TIMEOUT = env_float("PAYMENTS_HTTP_TIMEOUT", 10.0)
# A pending payment this old is asked about by the reconciliation task (beat, every 2 minutes).
PAYMENTS_RECONCILE_AFTER_SECONDS = env_int("PAYMENTS_RECONCILE_AFTER_SECONDS", 180)
CELERY_BEAT_SCHEDULE["payments-reconcile"] = {"task": "payments.tasks.payments_reconcile_all_tenants", "schedule": 120.0}
