"""The deadline sweep: apply every passed due date and send every due reminder, a page at a time.

What a passed due date means, and when a reminder is due, is decided in `complaints.deadlines`;
the moves are written by `complaints.services` (one transaction per page). This module walks
the due complaints in keyset pages (`core.paging`), hands each page to the services, and
reports what was done. It is run by the periodic task `complaints.tasks.enforce_deadlines` and
by `manage.py enforce_deadlines`. See docs/architecture.md ("How a deadline travels").
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from queue import Queue

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.paging import keyset_pages

from .deadlines import due_complaints, reminders_due
from .models import Status
from .services import complaint_remind, complaints_enforce_deadlines
from .workflow import Event

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Applied:
    number: str
    event: str
    from_status: str
    to_status: str

    @property
    def outcome(self) -> str:
        if self.event == Event.FORWARD:
            return "forwarded"
        if self.event == Event.BUSINESS_DEADLINE:
            return {
                Status.AWAITING_BUSINESS: "second notice sent",
                Status.UNANSWERED: "closed unanswered",
                Status.STAFF_REVIEW: "sent to staff review",
            }.get(Status(self.to_status), self.to_status)
        if self.event == Event.ANSWER_DEADLINE:
            return "closed answered"
        if self.event == Event.RULING_DEADLINE:
            return "answered by default ruling"
        return f"{self.event} -> {self.to_status}"


@dataclass
class SweepReport:
    now: datetime
    applied: list[Applied] = field(default_factory=list)
    reminded: list[tuple[str, str]] = field(default_factory=list)
    skipped_locked: int = 0
    unchanged: int = 0
    errors: int = 0

    def counts(self) -> Counter[str]:
        counts = Counter(item.outcome for item in self.applied)
        counts["reminders sent"] = len(self.reminded)
        return counts

    def summary(self) -> str:
        parts = [f"{outcome}: {n}" for outcome, n in sorted(self.counts().items()) if n]
        parts += [f"{label}: {n}" for label, n in self._extra() if n]
        return ", ".join(parts) or "nothing due"

    def _extra(self) -> list[tuple[str, int]]:
        return [("skipped (locked)", self.skipped_locked), ("unchanged", self.unchanged), ("errors", self.errors)]


def _enforce(ids: list[int], now: datetime, report: SweepReport) -> None:
    """Apply a page of passed due dates in one transaction; one by one if the batch fails."""
    try:
        done = complaints_enforce_deadlines(complaint_ids=ids, now=now)
    except Exception:
        if len(ids) == 1:
            raise
        # One broken complaint must not hold back the others: find it by taking them one at a time.
        logger.warning("Deadline batch of %s failed; applying its complaints one by one", len(ids), exc_info=True)
        for pk in ids:
            _enforce_page([pk], now, report)
        return
    report.skipped_locked += done.locked
    report.unchanged += done.unchanged
    report.applied += [
        Applied(event.complaint.number, event.event, event.from_status, event.to_status) for event in done.events
    ]


def _remind(ids: list[int], now: datetime, report: SweepReport) -> None:
    for pk in ids:
        try:
            complaint = complaint_remind(complaint_id=pk, now=now)
        except Exception:  # one broken complaint must not stop the others
            report.errors += 1
            logger.exception("Deadline sweep failed to remind complaint %s", pk)
            continue
        if complaint is not None:
            report.reminded.append((complaint.number, complaint.due_kind))


def _merge(into: SweepReport, part: SweepReport) -> None:
    into.applied += part.applied
    into.skipped_locked += part.skipped_locked
    into.unchanged += part.unchanged
    into.errors += part.errors


def _enforce_page(page: list[int], now: datetime, report: SweepReport) -> None:
    try:
        _enforce(page, now, report)
    except Exception:
        report.errors += 1
        logger.exception("Deadline sweep failed on complaint %s", page[0])


def _enforce_pages(pages: Iterator[list[int]], now: datetime, report: SweepReport, workers: int) -> None:
    """Apply pages of due complaints, on `workers` threads with a database connection each.

    While one thread waits for PostgreSQL to write its page, another prepares the next: the
    pages lock disjoint rows (SKIP LOCKED), and the figures' day rows they share are locked in
    one order, so they cannot deadlock.
    """
    first = next(pages, None)
    second = next(pages, None) if first is not None else None
    if second is None or workers <= 1 or connection.vendor != "postgresql":
        # Nothing due, one page, or one worker: no threads (each would open a connection).
        for page in itertools.chain([first, second], pages):
            if page is not None:
                _enforce_page(page, now, report)
        return
    assert first is not None
    pages = itertools.chain([first, second], pages)
    queue: Queue[list[int] | None] = Queue(maxsize=workers * 2)
    parts = [SweepReport(now=now) for _ in range(workers)]

    def work(part: SweepReport) -> None:
        try:
            while (page := queue.get()) is not None:
                _enforce_page(page, now, part)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(part,), name=f"sweep-{n}") for n, part in enumerate(parts)]
    for thread in threads:
        thread.start()
    try:
        for page in pages:
            queue.put(page)
    finally:
        for _ in threads:
            queue.put(None)
        for thread in threads:
            thread.join()
    for part in parts:
        _merge(report, part)


def sweep(*, now: datetime | None = None, batch_size: int | None = None, workers: int | None = None) -> SweepReport:
    """Apply every passed due date, then send every reminder that is due. Safe to run concurrently.

    Due dates are applied a page (`REDRESS_SWEEP_BATCH_SIZE` complaints) per transaction, on
    `REDRESS_SWEEP_WORKERS` threads; reminders one complaint per transaction.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.REDRESS_SWEEP_BATCH_SIZE
    workers = workers or settings.REDRESS_SWEEP_WORKERS
    report = SweepReport(now=now)
    _enforce_pages(keyset_pages(due_complaints(now), "due_at", batch_size), now, report, workers)
    for page in keyset_pages(reminders_due(now), "remind_at", batch_size):
        _remind(page, now, report)
    logger.info("Deadline sweep at %s: %s", now.isoformat(), report.summary())
    return report
