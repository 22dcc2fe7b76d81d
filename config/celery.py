"""The Celery app; the beat schedule lives in config/schedule.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("redress")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
