"""The deadline sweep: walk what is due in keyset pages, and apply one page.

What a passed due date means, and when a reminder is due, is decided in `complaints.deadlines`;
the moves are written by `complaints.services`. This module walks the due complaints, then the
due reminders, in keyset pages of `REDRESS_SWEEP_BATCH_SIZE` ids (`core.paging`), and applies a
page: its due dates in one transaction (one complaint at a time if that fails, so one broken
complaint does not hold back the others), its reminders one complaint per transaction.

Two callers walk the same pages (`pages()`): the periodic task `complaints.tasks.enforce_deadlines`
hands each page to the workers as a task of its own, so every worker process on every machine
shares one sweep; `manage.py enforce_deadlines` applies every page in its own process (`sweep()`).
Applying a page twice changes nothing more: the services lock its rows with SKIP LOCKED and read
them again under the lock. See docs/architecture.md ("How a deadline travels").
"""

from __future__ import annotations

import enum
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from core.paging import keyset_pages

from .deadlines import due_complaints, reminders_due
from .models import Status
from .services import complaint_remind, complaints_enforce_deadlines
from .workflow import Event

logger = logging.getLogger(__name__)


class Kind(enum.StrEnum):
    DUE_DATE = "due-date"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Page:
    kind: Kind
    ids: list[int]


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
    failed: list[int] = field(default_factory=list)  # ids of complaints whose move raised

    @property
    def errors(self) -> int:
        return len(self.failed)

    def add(self, other: SweepReport) -> None:
        self.applied += other.applied
        self.reminded += other.reminded
        self.skipped_locked += other.skipped_locked
        self.unchanged += other.unchanged
        self.failed += other.failed

    def counts(self) -> Counter[str]:
        counts = Counter(item.outcome for item in self.applied)
        counts["reminders sent"] = len(self.reminded)
        return counts

    def tally(self) -> dict[str, int]:
        """Every count, zeros included: what a page task returns."""
        return {**self.counts(), **dict(self._extra())}

    def summary(self) -> str:
        parts = [f"{outcome}: {n}" for outcome, n in sorted(self.counts().items()) if n]
        parts += [f"{label}: {n}" for label, n in self._extra() if n]
        return ", ".join(parts) or "nothing due"

    def _extra(self) -> list[tuple[str, int]]:
        return [("skipped (locked)", self.skipped_locked), ("unchanged", self.unchanged), ("errors", self.errors)]


def pages(now: datetime, batch_size: int | None = None) -> Iterator[Page]:
    """The sweep's pages at `now`: every due date that has passed, then every reminder that is due.

    Pages are read one at a time, each after the previous one was handed on, so a caller that
    applies them as they come selects only what is still due.
    """
    batch_size = batch_size or settings.REDRESS_SWEEP_BATCH_SIZE
    for ids in keyset_pages(due_complaints(now), "due_at", batch_size):
        yield Page(Kind.DUE_DATE, ids)
    for ids in keyset_pages(reminders_due(now), "remind_at", batch_size):
        yield Page(Kind.REMINDER, ids)


def apply(page: Page, now: datetime) -> SweepReport:
    """Apply one page of the sweep at `now`; complaints that failed are listed, not raised."""
    if page.kind is Kind.DUE_DATE:
        return enforce(page.ids, now)
    return remind(page.ids, now)


def enforce(ids: list[int], now: datetime) -> SweepReport:
    """Apply a page of passed due dates in one transaction; one by one if the batch fails."""
    report = SweepReport(now=now)
    try:
        done = complaints_enforce_deadlines(complaint_ids=ids, now=now)
    except Exception:
        if len(ids) == 1 or _database_unreachable():
            logger.exception("Deadline sweep failed on %s", _complaints(ids))
            report.failed += ids
            return report
        # One broken complaint must not hold back the others: find it by taking them one at a time.
        logger.warning("Deadline batch of %s failed; applying its complaints one by one", len(ids), exc_info=True)
        for n, pk in enumerate(ids):
            one = enforce([pk], now)
            report.add(one)
            if one.failed and _database_unreachable():
                report.failed += _left_undone(ids[n + 1 :])
                break
        return report
    report.skipped_locked = done.locked
    report.unchanged = done.unchanged
    report.applied = [
        Applied(event.complaint.number, event.event, event.from_status, event.to_status) for event in done.events
    ]
    return report


def remind(ids: list[int], now: datetime) -> SweepReport:
    """Send the reminders of a page, one complaint per transaction."""
    report = SweepReport(now=now)
    for n, pk in enumerate(ids):
        try:
            complaint = complaint_remind(complaint_id=pk, now=now)
        except Exception:  # one broken complaint must not stop the others
            logger.exception("Deadline sweep failed to remind complaint %s", pk)
            report.failed.append(pk)
            if _database_unreachable():
                report.failed += _left_undone(ids[n + 1 :])
                break
            continue
        if complaint is not None:
            report.reminded.append((complaint.number, complaint.due_kind))
    return report


def _database_unreachable() -> bool:
    """After a failure: whether the database cannot be reached, so that every next try would fail too.

    A connection that died is replaced first (outside a transaction); only a database that
    refuses a new one counts. Without this a page would wait out one connection attempt per
    complaint during an outage.
    """
    if connection.connection is not None and not connection.is_usable():
        if connection.in_atomic_block:
            return True
        connection.close()
    try:
        connection.ensure_connection()
    except DatabaseError:
        return True
    return False


def _left_undone(ids: list[int]) -> list[int]:
    if ids:
        logger.error("Deadline sweep cannot reach the database; %s left undone", _complaints(ids))
    return ids


def _complaints(ids: list[int]) -> str:
    return f"complaint {ids[0]}" if len(ids) == 1 else f"{len(ids)} complaints ({ids[0]}, ...)"


def sweep(*, now: datetime | None = None, batch_size: int | None = None) -> SweepReport:
    """Apply every passed due date, then send every reminder that is due, all in this process.

    Safe to run concurrently with itself and with the workers' page tasks. Complaints that fail
    are counted and logged; they are still due, so the next sweep takes them again.
    """
    now = now or timezone.now()
    report = SweepReport(now=now)
    for page in pages(now, batch_size):
        report.add(apply(page, now))
    logger.info("Deadline sweep at %s: %s", now.isoformat(), report.summary())
    return report
