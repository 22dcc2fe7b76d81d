"""Settings for the benchmarks: production values, the bench database, no throttles, no TLS cookies.

Everything still comes from the environment (DATABASE_URL, CACHE_URL, CELERY_BROKER_URL); the
defaults below point at the bench's own database and Redis databases so a benchmark never
touches development or test data.
"""

import os

os.environ.setdefault("SECRET_KEY", "redress-bench-key-not-secret")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/redress_bench")
os.environ.setdefault("CACHE_URL", "rediscache://127.0.0.1:6379/13")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
# Filing is measured at hundreds per second from a handful of accounts: lift the throttles.
for _name in ("SIGNUP", "SIGNIN", "FILING", "ANSWERING", "MAIL"):
    os.environ.setdefault(f"REDRESS_THROTTLE_{_name}", "1000000/second")

# staff@bench.example signs in with a password only (the workbench scenario): production requires
# a second factor of staff, which a scripted client cannot give. With no authenticator set up
# the check still runs on every request, so the page costs no less than a verified session's.
os.environ.setdefault("REDRESS_ADMIN_REQUIRE_MFA", "false")

from config.settings.production import *  # noqa: E402,F403
from config.settings.production import REST_FRAMEWORK  # noqa: E402

ALLOWED_HOSTS = ["*"]
# Plain HTTP on loopback: cookies must travel without TLS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
# Mail is stored as OutboundEmail rows by the application; nothing leaves the machine.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Some throttles may be set on views by class rather than by rate name: make every rate generous.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        dict(REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})),  # type: ignore[call-overload]
        "1000000/second",
    ),
}
RATELIMIT_ENABLE = False
