"""One machine, no services: SQLite, Celery's filesystem broker, mail printed to the console."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, SITE_URL, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="redress-local-development-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# scripts/run writes the address it serves on to var/site-url, so that a command run by hand in
# another shell (a sweep, seed_demo) links to the same port; SITE_URL in the environment wins
# (docs/operations.md, "Commands by hand").
SITE_URL_FILE = BASE_DIR / "var" / "site-url"
if "SITE_URL" not in os.environ and SITE_URL_FILE.is_file():
    SITE_URL = SITE_URL_FILE.read_text().strip().rstrip("/") or SITE_URL

BROKER_DIR = BASE_DIR / "var" / "broker"
BROKER_DIR.mkdir(parents=True, exist_ok=True)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR),
        "data_folder_out": str(BROKER_DIR),
        "processed_folder": str(BROKER_DIR),
        # Kombu's default is "control" in the working directory, which left a folder in the checkout.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        # With Kombu's default poll of once a second the worker took about one task a second: the
        # demo's first ~360 e-mails took two minutes to leave, a new receipt queued behind them.
        # Polling every 0.1 s: 20 s.
        "polling_interval": 0.1,
    }
# Mail goes to files under var/mail so that a person can read what Redress sent.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
# Replies by e-mail go to the SMTP listener that scripts/run starts on 127.0.0.1:8025.
REDRESS_REPLY_DOMAIN = env("REDRESS_REPLY_DOMAIN", default="reply.localhost")

# Webhook receivers on this machine (docs/operations.md, "Webhooks").
REDRESS_WEBHOOKS_ALLOW_PRIVATE = env.bool("REDRESS_WEBHOOKS_ALLOW_PRIVATE", default=True)
