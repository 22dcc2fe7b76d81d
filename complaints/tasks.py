"""Celery tasks: adapters that call a service. Each reads the database and can run twice.

The periodic one, `enforce_deadlines`, is scheduled in config/schedule.py. It does not apply
the sweep itself: it walks the sweep's pages (`complaints.sweep.pages`) and queues one task per
page, so the pages of one sweep are shared by every worker process listening, on any machine.
A page task applies its page (`complaints.sweep.apply`) and retries, with backoff and a bounded
number of times, only the complaints of that page that failed; the pages that succeeded are not
repeated. Running the periodic task twice, or from two beats at once, queues some pages twice:
the second copy finds its rows locked or no longer due and changes nothing.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone

from . import sweep
from .services.notices import failed_emails_alert
from .services.patterns import pattern_reviews_open_due
from .sweep import Kind, Page

logger = logging.getLogger(__name__)

# A page's failed complaints are tried again up to this many times, after a random wait of at
# most PAGE_RETRY_BACKOFF seconds, doubling each time up to PAGE_RETRY_BACKOFF_MAX (full jitter).
# Past that the task fails; its complaints are still due, and the next sweep takes them again.
PAGE_RETRIES = 5
PAGE_RETRY_BACKOFF = 2
PAGE_RETRY_BACKOFF_MAX = 60


class PageFailed(Exception):
    """Complaints of a sweep page still failed after the last retry."""


@shared_task(name="complaints.tasks.enforce_deadlines")
def enforce_deadlines() -> dict[str, int]:
    """Queue the deadline sweep due now: one task per page of due dates and of reminders."""
    return dict(sweep_queue())


@shared_task(bind=True, name="complaints.tasks.enforce_deadlines_page", max_retries=PAGE_RETRIES)
def enforce_deadlines_page(self: Task, complaint_ids: list[int], now: str) -> dict[str, int]:
    """Apply the passed due dates of these complaints, as the sweep at `now` (ISO 8601) found them."""
    return _apply_page(self, Page(Kind.DUE_DATE, complaint_ids), now)


@shared_task(bind=True, name="complaints.tasks.send_reminders_page", max_retries=PAGE_RETRIES)
def send_reminders_page(self: Task, complaint_ids: list[int], now: str) -> dict[str, int]:
    """Send the reminders of these complaints that are due at `now` (ISO 8601)."""
    return _apply_page(self, Page(Kind.REMINDER, complaint_ids), now)


PAGE_TASKS = {Kind.DUE_DATE: enforce_deadlines_page, Kind.REMINDER: send_reminders_page}


@shared_task(name="complaints.tasks.alert_failed_emails")
def alert_failed_emails() -> int:
    """Tell staff in the app about e-mails the outbox gave up on."""
    return failed_emails_alert()


@shared_task(name="complaints.tasks.detect_patterns")
def detect_patterns() -> int:
    """Open a pattern review for each business whose week's complaints rose beyond chance; how many opened."""
    return len(pattern_reviews_open_due())


def sweep_queue(*, now: datetime | None = None, batch_size: int | None = None) -> Counter[str]:
    """Queue one task per page of the sweep at `now`; how many pages of each kind were queued.

    Nothing is written here, so there is no commit to wait for: each page is published as soon
    as it is read, and the workers start on the first while the next is selected. A page that
    no worker has started within one sweep interval is dropped by the worker that receives it:
    by then the next sweep has selected whatever is still due, so pages do not pile up twice
    over when the workers fall behind. Nothing due, nothing queued.
    """
    now = now or timezone.now()
    stamp = now.isoformat()
    queued: Counter[str] = Counter({kind.value: 0 for kind in Kind})
    for page in sweep.pages(now, batch_size):
        PAGE_TASKS[page.kind].apply_async(args=(page.ids, stamp), expires=float(settings.REDRESS_SWEEP_SECONDS))
        queued[page.kind.value] += 1
    logger.info("Deadline sweep at %s: %s", stamp, describe_queued(queued))
    return queued


def describe_queued(queued: Counter[str]) -> str:
    if not queued.total():
        return "nothing due"
    due, reminders = queued[Kind.DUE_DATE.value], queued[Kind.REMINDER.value]
    return f"queued {due} due-date page{'s' * (due != 1)} and {reminders} reminder page{'s' * (reminders != 1)}"


def _apply_page(task: Task, page: Page, now: str) -> dict[str, int]:
    report = sweep.apply(page, datetime.fromisoformat(now))
    retrying = bool(report.failed) and task.request.retries < (task.max_retries or 0)
    logger.info(
        "Deadline sweep at %s, %s page of %s: %s%s",
        now,
        page.kind.value,
        len(page.ids),
        report.summary(),
        f" (retrying {report.errors})" if retrying else "",
    )
    if report.failed:
        countdown = get_exponential_backoff_interval(
            factor=PAGE_RETRY_BACKOFF, retries=task.request.retries, maximum=PAGE_RETRY_BACKOFF_MAX, full_jitter=True
        )
        # Only the complaints that failed go round again; a retry that has started runs to its
        # end (no expiry: the number of retries bounds it).
        failure = PageFailed(f"{report.errors} of {len(page.ids)} complaints failed: {report.failed}")
        raise task.retry(args=(report.failed, now), countdown=countdown, expires=None, exc=failure)
    return report.tally()
