"""Settings shared by every environment; each value comes from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

from config.schedule import beat_schedule
from core.cache import with_kept_clients

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# How many proxies in front of Redress append to X-Forwarded-For (core/security.py): 0 believes none.
REDRESS_TRUSTED_PROXIES = env.int("REDRESS_TRUSTED_PROXIES", default=0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    # Staff sign in with a second factor (docs/operations.md, "Staff sign-in with a second factor").
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "accounts",
    "complaints",
    "disputes",
    "inbound",
    "webhooks",
    "workbench",
    # The sign-in lockout (accounts/signin.py).
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The client's address for the security log of acts written below the views (core/security.py).
    "core.security.RequestAddressMiddleware",
    "config.middleware.LimitRequestBodyMiddleware",
    # django-csp's, with the settings' policy built once (config/middleware.py).
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "config.middleware.RejectNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A cookie-less revalidation of a public profile is answered here, before the session layer.
    "config.middleware.PublicRevalidationMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.TimeZoneMiddleware",
    # Marks the session's user verified once a TOTP or recovery code was accepted (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A staff session that still owes its code reaches nothing but the MFA pages and sign-out.
    "accounts.middleware.StaffVerificationMiddleware",
    "accounts.sessions.SessionIdleTimeoutMiddleware",
    # Last: turns a sign-in refused by the lockout into the page or API answer (accounts/signin.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "complaints.context_processors.redress",
            ],
            # Django's {% url %}, each reversal kept for the process.
            "builtins": ["core.templatetags.links"],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'redress.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)


def without_jit(database: dict) -> dict:
    """PostgreSQL connections run with JIT compilation off.

    Redress's queries are short and indexed; PostgreSQL compiles any plan whose estimated cost
    passes `jit_above_cost`, which on a search over 1,000,000 complaints took 14 of its 100 ms
    (bench/README.md). Off per connection, so no server setting is needed.
    """
    if "postgresql" in database.get("ENGINE", ""):
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    return database


without_jit(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": with_kept_clients(env.cache("CACHE_URL", default="locmemcache://"))}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses every sign-in of a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Redress's user has `email` and `name`, not Django's default username, first and last names.
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/signin/"
# Staff and superusers must confirm each sign-in with an authenticator code before they reach
# /admin/ or any other page; those without an authenticator are sent to set one up. Off here and
# in local and test settings; production.py turns it on. Staff who have set up an authenticator
# are asked for its code at every sign-in either way.
REDRESS_ADMIN_REQUIRE_MFA = env.bool("REDRESS_ADMIN_REQUIRE_MFA", default=False)
# Authenticator apps show this name beside the account.
OTP_TOTP_ISSUER = env("REDRESS_MFA_ISSUER", default="Redress")
# django-otp's back-off after wrong codes: the n-th wrong code in a row makes the next try wait
# factor * 2**(n-1) seconds. Per device, kept on for the authenticator and the recovery codes.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# django-otp's admin screens would show secrets; Redress unregisters them (accounts/admin.py) and hides them anyway.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_REDIRECT_URL = "/complaints/"
LOGOUT_REDIRECT_URL = "/"

# Sign-in lockout (docs/operations.md, "Security"): after REDRESS_SIGNIN_FAILURE_LIMIT failed
# sign-ins for one account, or from one client address, every sign-in of that account or from that
# address is refused, the right password included, until REDRESS_SIGNIN_LOCKOUT_MINUTES after the
# last failure. The same on the sign-in page, the admin's and the API's token endpoint.
AXES_FAILURE_LIMIT = env.int("REDRESS_SIGNIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("REDRESS_SIGNIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.signin.signin_username"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.signin.lockout_response"
# Attempts while locked out do not move the announced time to retry.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the address's failures: signing in to one's own account between guesses
# at others must not reset the count.
AXES_RESET_ON_SUCCESS = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_HTTP_RESPONSE_CODE = 429

# Idle sessions end (accounts/sessions.py): minutes without a request, shorter for staff.
REDRESS_SESSION_IDLE_MINUTES = env.int("REDRESS_SESSION_IDLE_MINUTES", default=120)
REDRESS_STAFF_SESSION_IDLE_MINUTES = env.int("REDRESS_STAFF_SESSION_IDLE_MINUTES", default=30)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# One way to write dates and times (config/formats/en/formats.py, docs/domain.md "Dates and times").
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Attachments are private: they are never served from MEDIA_URL, only through a view that checks access.
MEDIA_URL = "/private-media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Request bodies (config/middleware.py, docs/operations.md "Limits of input"): a body that is not
# multipart/form-data, and the fields of a multipart body, at most REDRESS_MAX_BODY_BYTES; a
# multipart body with its files at most REDRESS_MAX_UPLOAD_BYTES (five attachments of 10 MB and the
# form). Larger requests are refused with 413 before anything reads them.
REDRESS_MAX_BODY_BYTES = env.int("REDRESS_MAX_BODY_BYTES", default=1024 * 1024)
REDRESS_MAX_UPLOAD_BYTES = env.int("REDRESS_MAX_UPLOAD_BYTES", default=52 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REDRESS_MAX_BODY_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Redress <no-reply@redress.local>")
# The domain of every e-mail's Message-ID (<redress-email-ID@domain>): the host of SITE_URL by default.
REDRESS_MESSAGE_ID_DOMAIN = env("REDRESS_MESSAGE_ID_DOMAIN", default="") or (
    SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "redress.local"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTICE_EMAIL = env("STAFF_NOTICE_EMAIL", default="staff@redress.local")

# Replies by e-mail (docs/domain.md, "Replies by e-mail"; docs/operations.md, "Inbound mail").
# The domain of reply addresses (reply+TOKEN@domain); empty: notices carry no reply address.
REDRESS_REPLY_DOMAIN = env("REDRESS_REPLY_DOMAIN", default="")
# A reply address stops working this many days after its case closed.
REDRESS_REPLY_DAYS_AFTER_CLOSING = env.int("REDRESS_REPLY_DAYS_AFTER_CLOSING", default=30)
# Larger messages are refused (the whole raw message, attachments included).
REDRESS_INBOUND_MAX_BYTES = env.int("REDRESS_INBOUND_MAX_BYTES", default=25 * 1024 * 1024)
# Refuse mail whose Authentication-Results (added by the receiving MTA) record a DKIM or SPF failure.
REDRESS_INBOUND_REFUSE_AUTH_FAILURES = env.bool("REDRESS_INBOUND_REFUSE_AUTH_FAILURES", default=False)
# Only Authentication-Results headers with these authserv-ids are read (comma-separated); empty: the topmost one.
REDRESS_INBOUND_AUTHSERV_IDS = env.list("REDRESS_INBOUND_AUTHSERV_IDS", default=[])
# At most this many refusal e-mails to one address in 24 hours; more refusals are stored without one.
REDRESS_INBOUND_REFUSALS_PER_DAY = env.int("REDRESS_INBOUND_REFUSALS_PER_DAY", default=5)
# The polled mailbox, e.g. imaps://user:password@mail.example.com/INBOX; empty: no polling.
REDRESS_IMAP_URL = env("REDRESS_IMAP_URL", default="")
REDRESS_IMAP_PROCESSED_FOLDER = env("REDRESS_IMAP_PROCESSED_FOLDER", default="Redress-Processed")
REDRESS_IMAP_REFUSED_FOLDER = env("REDRESS_IMAP_REFUSED_FOLDER", default="Redress-Refused")
REDRESS_IMAP_POLL_SECONDS = env.int("REDRESS_IMAP_POLL_SECONDS", default=60)

# Webhooks (docs/operations.md, "Webhooks"): deliveries go to a queue of their own, so a slow
# receiver never holds the workers that send mail and enforce deadlines. Private, loopback and
# link-local addresses are refused unless REDRESS_WEBHOOKS_ALLOW_PRIVATE; production requires https.
REDRESS_WEBHOOKS_QUEUE = env("REDRESS_WEBHOOKS_QUEUE", default="webhooks")
REDRESS_WEBHOOKS_ALLOW_PRIVATE = env.bool("REDRESS_WEBHOOKS_ALLOW_PRIVATE", default=False)
REDRESS_WEBHOOKS_REQUIRE_HTTPS = env.bool("REDRESS_WEBHOOKS_REQUIRE_HTTPS", default=False)
# How long the previous secret keeps signing after a rotation.
REDRESS_WEBHOOKS_ROTATION_OVERLAP_HOURS = env.int("REDRESS_WEBHOOKS_ROTATION_OVERLAP_HOURS", default=24)

# Celery: deadlines live in the database, so nothing is lost if the broker forgets a message.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a request when the broker is unreachable: fail fast, the sweeps catch up.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    # A broker host that drops packets must not hold a request for the OS connect timeout.
    "socket_connect_timeout": 2,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / "var" / "celerybeat-schedule")
)

# Deadlines, in days (docs/domain.md, "Deadlines"): "calendar" days (the default), or "business"
# days, which skip Saturdays, Sundays and the public holidays of REDRESS_HOLIDAYS_COUNTRY (and
# REDRESS_HOLIDAYS_REGION, a subdivision code such as "CA" or "ENG") from the `holidays` package.
REDRESS_DEADLINE_DAYS_KIND = env("REDRESS_DEADLINE_DAYS_KIND", default="calendar")
REDRESS_HOLIDAYS_COUNTRY = env("REDRESS_HOLIDAYS_COUNTRY", default="US")
REDRESS_HOLIDAYS_REGION = env("REDRESS_HOLIDAYS_REGION", default="")
REDRESS_SCREENING_DAYS = env.int("REDRESS_SCREENING_DAYS", default=2)
REDRESS_BUSINESS_RESPONSE_DAYS = env.int("REDRESS_BUSINESS_RESPONSE_DAYS", default=14)
REDRESS_SECOND_NOTICE_DAYS = env.int("REDRESS_SECOND_NOTICE_DAYS", default=14)
REDRESS_REBUTTAL_DAYS = env.int("REDRESS_REBUTTAL_DAYS", default=14)
REDRESS_CONSUMER_ANSWER_DAYS = env.int("REDRESS_CONSUMER_ANSWER_DAYS", default=10)
REDRESS_CONSUMER_REMINDER_DAY = env.int("REDRESS_CONSUMER_REMINDER_DAY", default=7)
REDRESS_BUSINESS_REMINDER_DAYS_BEFORE = env.int("REDRESS_BUSINESS_REMINDER_DAYS_BEFORE", default=4)
REDRESS_RULING_DAYS = env.int("REDRESS_RULING_DAYS", default=7)
REDRESS_MEDIATION_DAYS = env.int("REDRESS_MEDIATION_DAYS", default=30)
REDRESS_PUBLICATION_MONTHS = env.int("REDRESS_PUBLICATION_MONTHS", default=36)
# The country whose national phone numbers masking looks for (ISO 3166 code); numbers written
# with "+" are found for every country (docs/domain.md, "Masking").
REDRESS_PHONE_REGION = env("REDRESS_PHONE_REGION", default="US")
# Complaints per page of the deadline sweep: one page is one task and one transaction.
REDRESS_SWEEP_BATCH_SIZE = env.int("REDRESS_SWEEP_BATCH_SIZE", default=200)
# How often beat runs the sweeps; also how long a queued sweep page waits for a worker before it is dropped.
REDRESS_SWEEP_SECONDS = env.int("REDRESS_SWEEP_SECONDS", default=60)
# 24 attempts with the waits below span about 3.9 days, so a mail-server outage of 3 days loses
# no e-mail (docs/operations.md, "Delivery"). After the last, the e-mail is failed and staff alerted.
REDRESS_EMAIL_MAX_ATTEMPTS = env.int("REDRESS_EMAIL_MAX_ATTEMPTS", default=24)
# First retry of a failed e-mail after this many seconds, doubling each time, at most REDRESS_EMAIL_BACKOFF_MAX_SECONDS.
REDRESS_EMAIL_BACKOFF_SECONDS = env.int("REDRESS_EMAIL_BACKOFF_SECONDS", default=60)
REDRESS_EMAIL_BACKOFF_MAX_SECONDS = env.int("REDRESS_EMAIL_BACKOFF_MAX_SECONDS", default=6 * 3600)
# Staff are reminded this many days before a ruling falls due (it then closes as Answered by default).
REDRESS_STAFF_REMINDER_DAYS_BEFORE = env.int("REDRESS_STAFF_REMINDER_DAYS_BEFORE", default=2)

# The periodic tasks, defined in one place (config/schedule.py).
CELERY_BEAT_SCHEDULE = beat_schedule(sweep_seconds=REDRESS_SWEEP_SECONDS, imap_seconds=REDRESS_IMAP_POLL_SECONDS)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous API call gets 401 with `WWW-Authenticate: Token`.
        # knox's hashed, expiring tokens (core/api_auth.py; docs/api.md, "Signing in").
        "core.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "complaints.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Django REST framework's parsers, refusing NUL and JSON nested too deep (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser", "core.parsers.FormParser", "core.parsers.MultiPartParser"],
    # Domain errors to status codes, one error body for every failure (complaints/api/errors.py).
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    # The throttles read the address through core.security.client_ip; DRF is told the same count.
    "NUM_PROXIES": REDRESS_TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "signup": env("REDRESS_THROTTLE_SIGNUP", default="10/hour"),
        "signin": env("REDRESS_THROTTLE_SIGNIN", default="20/minute"),
        "filing": env("REDRESS_THROTTLE_FILING", default="20/hour"),
        "answering": env("REDRESS_THROTTLE_ANSWERING", default="60/hour"),
        "mail": env("REDRESS_THROTTLE_MAIL", default="10/hour"),
        # The open data (docs/open-data.md, "Rate limits"): pages and trends, and whole CSV exports.
        "opendata": env("REDRESS_THROTTLE_OPENDATA", default="120/minute"),
        "opendata_export": env("REDRESS_THROTTLE_OPENDATA_EXPORT", default="30/hour"),
        # Search across businesses (docs/api.md, "Search"): the search page and its API share it.
        "search": env("REDRESS_THROTTLE_SEARCH", default="60/minute"),
    },
}
# API tokens (docs/api.md, "Signing in"): knox keeps a SHA-512 digest of each, never the token.
# A token works for 30 days from sign-in, then the client signs in again; no use extends it.
REDRESS_API_TOKEN_HOURS = env.int("REDRESS_API_TOKEN_HOURS", default=24 * 30)
# At most this many tokens per user; signing in once more ends the oldest.
REDRESS_API_TOKENS_PER_USER = env.int("REDRESS_API_TOKENS_PER_USER", default=10)
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=REDRESS_API_TOKEN_HOURS),
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# Invitations to represent a business work for this many days (docs/domain.md, "Invitations").
REDRESS_INVITATION_DAYS = env.int("REDRESS_INVITATION_DAYS", default=7)

SPECTACULAR_SETTINGS = {
    # `desired_outcome` and `desired_outcomes` share one set of values: one enum in the schema.
    "ENUM_NAME_OVERRIDES": {
        "DesiredOutcomeEnum": "complaints.models.DesiredOutcome",
        "DeliveryStatusEnum": "webhooks.models.DeliveryStatus",
        "StatusEnum": "complaints.models.Status",
    },
    "TITLE": "Redress API",
    "DESCRIPTION": (
        "Complaints, responses, answers and public business records.\n\n"
        "Sign in with `POST /api/v1/auth/token/` and send `Authorization: Token <token>`. A token works until its "
        "`expires_at` (30 days after the sign-in by default), until you revoke it (`/api/v1/auth/tokens/`), or "
        "until your password changes.\n\n"
        "Every error answers `{detail, code, errors}`: 400 `invalid` (messages per field in `errors`), "
        "401 not signed in, 403 may see it but may not do this (or a staff-only endpoint), "
        "404 missing or not yours (the two look the same), 409 `invalid_transition` (the complaint's status "
        "does not allow the move), 413 `too_large` (a body over 1 MB, or 52 MB with files), "
        "429 `throttled` with `Retry-After` (sign-up, sign-in, filing, answering).\n\n"
        "Text fields have the `maxLength` of the column that stores them; JSON may nest 32 levels at most, "
        "and no field may hold a NUL character (400 `invalid`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc are served from our own static files (drf-spectacular-sidecar), not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The security log (core/security.py): one JSON object a line on the console, and in
# REDRESS_SECURITY_LOG_FILE too when it is set.
REDRESS_SECURITY_LOG_FILE = env("REDRESS_SECURITY_LOG_FILE", default="")
# Headers every response carries (docs/operations.md, "Security headers"). The policy allows no
# inline script or style: pages load redress.js and the stylesheets from /static/ only. The API
# documentation pages, which run the Swagger UI and Redoc bundles, widen it for themselves alone
# (config/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Browser features no Redress page uses, turned off for every page and anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read by a prepared statement (accounts/session_store.py).
SESSION_ENGINE = "accounts.session_store"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.security.JsonLineFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "security": {"class": "logging.StreamHandler", "formatter": "json"},
        **(
            {
                "security_file": {
                    "class": "logging.FileHandler",
                    "filename": REDRESS_SECURITY_LOG_FILE,
                    "formatter": "json",
                }
            }
            if REDRESS_SECURITY_LOG_FILE
            else {}
        ),
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "redress.security": {
            "handlers": ["security", *(["security_file"] if REDRESS_SECURITY_LOG_FILE else [])],
            "level": "INFO",
            "propagate": False,
        },
        # django-axes logs each attempt itself; the security log above records them once, in JSON.
        "axes": {"level": "ERROR"},
    },
}

# The public profile's ETag includes the release, so that a new release's pages are fetched anew
# (set it per deploy, e.g. to the commit); anonymous pages may be kept this many seconds by any
# cache without asking (0: every use is checked with If-None-Match). docs/operations.md.
REDRESS_RELEASE = env("REDRESS_RELEASE", default="")
REDRESS_PUBLIC_MAX_AGE = env.int("REDRESS_PUBLIC_MAX_AGE", default=0)
# Anonymous profile pages are kept in the cache under their ETag this many seconds (0: off, the
# default; production keeps them): a publication moves the ETag on, so a kept page is never stale.
REDRESS_PUBLIC_PAGE_CACHE_SECONDS = env.int("REDRESS_PUBLIC_PAGE_CACHE_SECONDS", default=0)
