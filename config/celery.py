"""The Celery app; the beat schedule lives in config/schedule.py."""

import gc
import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# Far more tasks than a worker process runs before a connection's age is up: Celery's Django fixup
# then leaves the connections alone and Django's own rule decides (below).
DB_REUSE_MAX = 1_000_000

app = Celery("redress")
app.config_from_object("django.conf:settings", namespace="CELERY")
# A worker keeps its database connections across tasks as a web worker keeps them across requests
# (docs/decisions/0039-workers-keep-their-connections.md): without this Celery closes them before
# and after every task, and each sweep page or e-mail paid for a new PostgreSQL backend.
app.conf.update(CELERY_DB_REUSE_MAX=DB_REUSE_MAX)
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def connections_checked(task: Any = None, **kwargs: Any) -> None:
    """Before and after each task, what Django does around each request: drop broken or old connections.

    A connection that failed, was left outside autocommit or is older than `CONN_MAX_AGE` (0 outside
    production: every task gets a new one, as before) is closed. Not for a task run eagerly, inside
    its caller's transaction.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_process_init.connect
def startup_frozen(**kwargs: Any) -> None:
    """In each pool process, before its first task: what the worker loaded is moved out of the garbage
    collector's sight (`gc.freeze`), as each web worker does (config/gunicorn.py). A sweep page makes
    thousands of objects, and its full collections walked the whole process: 6-14 % of a page."""
    gc.freeze()
