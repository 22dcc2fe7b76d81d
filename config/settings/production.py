"""Production: every secret from the environment, secure cookies, no debug."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env, with_kept_clients, without_jit

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
DEBUG = False
DATABASES = {"default": without_jit(env.db("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CACHES = {"default": with_kept_clients(env.cache("CACHE_URL", default="rediscache://127.0.0.1:6379/1"))}
# Keys start with this, so that two deployments can share one Redis database.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, by default (docs/operations.md, "HTTPS and HSTS"). Behind a proxy that terminates
# TLS, redirects to HTTPS and sends HSTS itself, set REDRESS_TLS_AT_PROXY=true: Django then does
# neither. Each setting can also be given on its own.
TLS_AT_PROXY = env.bool("REDRESS_TLS_AT_PROXY", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not TLS_AT_PROXY)
# A year, for every subdomain, and preloadable: browsers keep to HTTPS from the first visit once
# the domain is submitted to the preload list (an operator's act; the header alone enrols nothing).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if TLS_AT_PROXY else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Staff confirm every sign-in with an authenticator code (base.py).
REDRESS_ADMIN_REQUIRE_MFA = env.bool("REDRESS_ADMIN_REQUIRE_MFA", default=True)
# Profile figures are summed from day rows; keep one copy per business in the cache (0 turns it off).
REDRESS_FIGURES_CACHE_SECONDS = env.int("REDRESS_FIGURES_CACHE_SECONDS", default=300)
# The dashboard's counts by state, kept per business under a version every move moves on (0 turns it off).
REDRESS_QUEUE_COUNTS_CACHE_SECONDS = env.int("REDRESS_QUEUE_COUNTS_CACHE_SECONDS", default=86400)
# Anonymous profile pages, kept under their ETag (a publication moves it on; 0 turns it off).
REDRESS_PUBLIC_PAGE_CACHE_SECONDS = env.int("REDRESS_PUBLIC_PAGE_CACHE_SECONDS", default=3600)
# The staff workbench's complaint counts and ageing view, kept this long; a staff act drops them (0 turns it off).
REDRESS_WORKBENCH_CACHE_SECONDS = env.int("REDRESS_WORKBENCH_CACHE_SECONDS", default=60)

# Webhook endpoints must be https and public (docs/operations.md, "Webhooks").
REDRESS_WEBHOOKS_ALLOW_PRIVATE = env.bool("REDRESS_WEBHOOKS_ALLOW_PRIVATE", default=False)
REDRESS_WEBHOOKS_REQUIRE_HTTPS = env.bool("REDRESS_WEBHOOKS_REQUIRE_HTTPS", default=True)
