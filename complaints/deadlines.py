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

from datetime import datetime

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import Complaint, DueKind
from .workflow import DEADLINE_EVENTS, days

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


def due_complaints(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose due date has passed and that the sweep can act on (via complaint_due_idx)."""
    never_auto_forwarded = Q(due_kind=DueKind.SCREENING) & (
        Q(business__isnull=True) | Q(on_hold=True) | Q(complainant__email_verified_at__isnull=True)
    )
    return Complaint.objects.filter(due_at__lte=now, due_kind__in=ENFORCED_KINDS).exclude(never_auto_forwarded)


def reminders_due(now: datetime) -> QuerySet[Complaint]:
    """Complaints whose reminder time has passed (via complaint_remind_idx)."""
    return Complaint.objects.filter(remind_at__lte=now)
