"""Every due date and reminder time, and what the deadline sweep may act on.

One function counts days for every deadline (`days_after`, and `days_before` for reminders): in
calendar days (`REDRESS_DEADLINE_DAYS_KIND = "calendar"`, the default), or in business days
(`"business"`), which skip Saturdays, Sundays and the public holidays of
`REDRESS_HOLIDAYS_COUNTRY` / `REDRESS_HOLIDAYS_REGION` from the `holidays` package. A due date
keeps the time of day it was counted from (docs/domain.md, "Deadlines").

The screening clock pauses while staff hold a complaint or while it waits for staff to link an
unlisted business (`paused_at` set, no due date); when it resumes, the time paused is added back
(`resumed_due`): the due date is the screening period counted from filing plus all the time
paused (`paused_total`).

Every due date lives on the complaint (`due_at`, `due_kind`), every reminder time too
(`remind_at`), so nothing depends on a task message surviving in the broker. The sweep
(`complaints.sweep`) is started by the periodic task `complaints.tasks.enforce_deadlines`, which
queues a task per page for the workers, or by `manage.py enforce_deadlines`, which applies the
pages in its own process:

- It selects what is due through the partial indexes `complaint_due_idx` and
  `complaint_remind_idx`, in keyset pages of `REDRESS_SWEEP_BATCH_SIZE` ordered by (time, id),
  so its cost follows the number of due complaints, and no row is selected twice in one run.
- Each page is locked with `SKIP LOCKED` (a row another worker or a user holds is left for the
  next run) and read again under the lock; `complaints_enforce_deadlines` checks every move
  against the workflow table and writes the page's complaints, events, figures and
  notifications together, one transaction per page. Applying a page twice, or two sweeps at
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

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Complaint, DueKind
from .workflow import DEADLINE_EVENTS

CALENDAR = "calendar"
BUSINESS = "business"
DAYS_KINDS = (CALENDAR, BUSINESS)
ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=8)
def _holidays(country: str, region: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=region or None)


def counts(day: date) -> bool:
    """Whether this local day counts towards a deadline under the configured rule."""
    if settings.REDRESS_DEADLINE_DAYS_KIND != BUSINESS:
        return True
    return day.weekday() < 5 and day not in _holidays(
        settings.REDRESS_HOLIDAYS_COUNTRY, settings.REDRESS_HOLIDAYS_REGION
    )


def _step(start: datetime, n: int, direction: int) -> datetime:
    if settings.REDRESS_DEADLINE_DAYS_KIND not in DAYS_KINDS:
        raise ValueError(f"REDRESS_DEADLINE_DAYS_KIND must be one of {DAYS_KINDS}")
    if settings.REDRESS_DEADLINE_DAYS_KIND == CALENDAR:
        return start + direction * n * ONE_DAY
    # Walk local days so a holiday is the day people live it, whatever the server's zone.
    local = timezone.localtime(start)
    moment, left = local.date(), n
    while left > 0:
        moment += direction * ONE_DAY
        if counts(moment):
            left -= 1
    return datetime.combine(moment, local.timetz())


def days_after(start: datetime, n: int) -> datetime:
    """The moment `n` deadline days after `start` (same time of day); the one rule for every due date."""
    return _step(start, n, 1)


def days_before(end: datetime, n: int) -> datetime:
    """The moment `n` deadline days before `end` (for reminders ahead of a due date)."""
    return _step(end, n, -1)


def next_counted(moment: datetime) -> datetime:
    """`moment`, or the same time on the next day that counts if its own day does not."""
    local = timezone.localtime(moment)
    while not counts(local.date()):
        local += ONE_DAY
    return local


def resumed_due(start: datetime, period_days: int, paused_total: timedelta) -> datetime:
    """A paused clock's due date: the period counted from `start`, plus every moment paused."""
    return next_counted(days_after(start, period_days) + paused_total)


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
        at = days_before(due_at, settings.REDRESS_BUSINESS_REMINDER_DAYS_BEFORE)
    elif due_kind == DueKind.CONSUMER_ANSWER:
        at = days_after(now, settings.REDRESS_CONSUMER_REMINDER_DAY)
    elif due_kind == DueKind.STAFF_RULING:
        at = days_before(due_at, settings.REDRESS_STAFF_REMINDER_DAYS_BEFORE)
    else:
        return None
    # A period too short for a reminder gets none: the notice that set it is reminder enough.
    return at if now < at < due_at else None


def due_complaints(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose due date has passed and that the sweep can act on (via complaint_due_idx)."""
    never_auto_forwarded = Q(due_kind=DueKind.SCREENING) & (
        Q(business__isnull=True)
        | Q(on_hold=True)
        | Q(paused_at__isnull=False)
        | Q(complainant__email_verified_at__isnull=True)
    )
    return Complaint.objects.filter(due_at__lte=now, due_kind__in=ENFORCED_KINDS).exclude(never_auto_forwarded)


def reminders_due(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose reminder time has passed (via complaint_remind_idx)."""
    return Complaint.objects.filter(remind_at__lte=now)
