"""The test suite: real PostgreSQL and Redis, mail kept in memory."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "redress-test-key"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/redress")}
CACHES = {"default": env.cache("CACHE_URL", default="rediscache://127.0.0.1:6379/1")}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/2")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
