"""The test suite: real PostgreSQL and Redis, mail kept in memory."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import env, with_kept_clients, without_jit

DEBUG = False
SECRET_KEY = "redress-test-key"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": without_jit(env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/redress"))}
CACHES = {"default": with_kept_clients(env.cache("CACHE_URL", default="rediscache://127.0.0.1:6379/1"))}
# Parallel workers share one Redis but not one database: a prefix per worker keeps throttle
# counters (keyed by user id) and cached values of one worker's rows away from the other's.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "main")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/2")
# Worker processes started by the tests write mail to files the tests can read.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=None)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# WhiteNoise warns on every request when the static root is missing; tests serve from finders.
Path(str(STATIC_ROOT)).mkdir(parents=True, exist_ok=True)

# Every test signs in and files from 127.0.0.1 within seconds: the production rates would throttle
# the suite itself. Tests of the throttles lower the rate they test with override_settings.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        ("signup", "signin", "filing", "answering", "mail", "opendata", "opendata_export", "search"),
        "100000/minute",
    ),
}
REDRESS_REPLY_DOMAIN = env("REDRESS_REPLY_DOMAIN", default="reply.redress.test")

# Webhook receivers on this machine (docs/operations.md, "Webhooks").
REDRESS_WEBHOOKS_ALLOW_PRIVATE = env.bool("REDRESS_WEBHOOKS_ALLOW_PRIVATE", default=True)
