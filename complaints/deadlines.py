"""The deadline sweep: what a passed due date means, and who is reminded before it passes.

Every due date lives on the complaint (`due_at`, `due_kind`), every reminder time too
(`remind_at`), so nothing depends on a task message surviving in the broker. `sweep()` is run
by the periodic task `complaints.tasks.enforce_deadlines` and by `manage.py enforce_deadlines`:

- It selects what is due through the partial indexes `complaint_due_idx` and
  `complaint_remind_idx`, in keyset pages of `REDRESS_SWEEP_BATCH_SIZE` ordered by (time, id),
  so its cost follows the number of due complaints, and no row is selected twice in one run.
- Each page is locked with `SKIP LOCKED` (a row another worker or a user holds is left for the
  next run) and read again under the lock; `complaints_enforce_deadlines` checks every move
  against the workflow table and writes the page's complaints, events, figures and
  notifications together, one transaction per page. Running it twice, or on two workers at
  once, changes nothing more.
- Complaints that can never be forwarded automatically (unknown business, on hold, complainant's
  e-mail not verified) are left out by the query itself: they wait for staff, or are forwarded
  by the first sweep after the complainant verifies their address.

Reminders (each sent once per due date: sending clears `remind_at`, a new due date sets it):

- the business, `REDRESS_BUSINESS_REMINDER_DAYS_BEFORE` days before each of its due dates
  (first response, final notice, response to a rejection);
- the complainant, on day `REDRESS_CONSUMER_REMINDER_DAY` of the answer period;
- staff, `REDRESS_STAFF_REMINDER_DAYS_BEFORE` days before a ruling is due (when it passes, the
  case closes as Answered by default, so the reminder must come while there is time to rule);
- staff, when a mediation passes its due date (mediation has no automatic outcome).
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
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import notifications
from .models import Complaint, DueKind, Status
from .workflow import DEADLINE_EVENTS, OPEN_STATES, Event, days

logger = logging.getLogger(__name__)

BUSINESS_KINDS = frozenset({DueKind.BUSINESS_FIRST, DueKind.BUSINESS_FINAL, DueKind.BUSINESS_REBUTTAL})
# Due kinds whose passing the sweep acts on; the others (mediation) only remind staff.
ENFORCED_KINDS = tuple(sorted(kind for kind, event in DEADLINE_EVENTS.items() if event is not None))


def remind_at_for(due_kind: str, due_at: datetime | None, now: datetime) -> datetime | None:
    """When the party whose move it is should be reminded of this due date, or None."""
    if due_at is None:
        return None
    if due_kind == DueKind.MEDIATION:
        return due_at
    if due_kind in BUSINESS_KINDS:
        at = due_at - days(settings.REDRESS_BUSINESS_REMINDER_DAYS_BEFORE)
    elif due_kind == DueKind.CONSUMER_ANSWER:
        at = now + days(settings.REDRESS_CONSUMER_REMINDER_DAY)
    elif due_kind == DueKind.STAFF_RULING:
        at = due_at - days(settings.REDRESS_STAFF_REMINDER_DAYS_BEFORE)
    else:
        return None
    # A period too short for a reminder gets none: the notice that set it is reminder enough.
    return at if now < at < due_at else None


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


def due_complaints(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose due date has passed and that the sweep can act on (via complaint_due_idx)."""
    never_auto_forwarded = Q(due_kind=DueKind.SCREENING) & (
        Q(business__isnull=True) | Q(on_hold=True) | Q(complainant__email_verified_at__isnull=True)
    )
    return Complaint.objects.filter(due_at__lte=now, due_kind__in=ENFORCED_KINDS).exclude(never_auto_forwarded)


def reminders_due(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose reminder time has passed (via complaint_remind_idx)."""
    return Complaint.objects.filter(remind_at__lte=now)


def _pages(queryset: QuerySet[Complaint], time_field: str, batch_size: int) -> Iterator[list[int]]:
    """Yield ids in (time, id) order, one page at a time, each row at most once per run."""
    after: tuple[datetime, int] | None = None
    while True:
        page_qs = queryset
        if after is not None:
            page_qs = page_qs.filter(**{f"{time_field}__gte": after[0]}).exclude(
                **{time_field: after[0], "pk__lte": after[1]}
            )
        page = list(page_qs.order_by(time_field, "pk").values_list(time_field, "pk")[:batch_size])
        if not page:
            return
        yield [pk for _, pk in page]
        if len(page) < batch_size:
            return
        after = page[-1]


def _lock(pk: int) -> Complaint | None:
    """Lock one complaint for this transaction, or None if another transaction holds it."""
    return Complaint.objects.select_for_update(skip_locked=True).filter(pk=pk).first()


def _enforce(ids: list[int], now: datetime, report: SweepReport) -> None:
    """Apply a page of passed due dates in one transaction; one by one if the batch fails."""
    from .services import complaints_enforce_deadlines

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


def complaint_remind(*, complaint_id: int, now: datetime | None = None) -> Complaint | None:
    """Send the reminder for a complaint's current due date if it is time; the complaint if sent.

    Locks the row (skipping it if it is locked), re-checks under the lock, and clears
    `remind_at`, so a reminder goes out once however many sweeps run. A reminder overtaken by
    its own due date (the sweep acts on that instead) or by a closed state is dropped.
    """
    now = now or timezone.now()
    with transaction.atomic():
        complaint = _lock(complaint_id)
        if complaint is None or complaint.remind_at is None or complaint.remind_at > now:
            return None
        overtaken = (
            complaint.status not in OPEN_STATES
            or complaint.due_at is None
            or (complaint.due_kind in ENFORCED_KINDS and complaint.due_at <= now)
        )
        if not overtaken:
            notifications.reminder_due(complaint)
            complaint.reminded_at = now
        complaint.remind_at = None
        complaint.save(update_fields=["remind_at", "reminded_at", "updated_at"])
        return None if overtaken else complaint


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
    _enforce_pages(_pages(due_complaints(now), "due_at", batch_size), now, report, workers)
    for page in _pages(reminders_due(now), "remind_at", batch_size):
        _remind(page, now, report)
    logger.info("Deadline sweep at %s: %s", now.isoformat(), report.summary())
    return report
