"""What integrations above complaints hear of: the events a move records, as announcements.

`moves_write` (every move, one complaint or a sweep's page) and `complaint_remind` hand their
events here inside their transaction; a listener (the webhooks app registers one) writes what
it needs in that same transaction, so nothing is announced that did not commit. Only what the
business may see is announced: complaints forwarded to it (docs/architecture.md, "Webhooks").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from .models import Complaint, ComplaintEvent, DueKind
from .workflow import CLOSED_STATES, Event

FORWARDED, ANSWERED, REJECTED_ANSWER, CLOSED = (
    "complaint.forwarded",
    "complaint.answered",
    "complaint.rejected_answer",
    "complaint.closed",
)
DEADLINE_REMINDER = "deadline.reminder"
KIND_OF_EVENT = {Event.FORWARD: FORWARDED, Event.RESPOND: ANSWERED, Event.REJECT_ANSWER: REJECTED_ANSWER}
# The due dates a reminder to the business is about.
BUSINESS_DUE_KINDS = frozenset({DueKind.BUSINESS_FIRST, DueKind.BUSINESS_FINAL, DueKind.BUSINESS_REBUTTAL})


@dataclass(frozen=True)
class Announcement:
    """One thing that happened to a complaint the business sees."""

    kind: str
    complaint: Complaint
    at: datetime
    event: ComplaintEvent | None = None


Listener = Callable[[Sequence[Announcement]], object]
_listeners: list[Listener] = []


def announcements_listen(listener: Listener) -> None:
    """Register a listener (once, from an app's `ready`)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _seen_by_business(complaint: Complaint) -> bool:
    return complaint.business_id is not None and complaint.forwarded_at is not None


def event_announcements(events: Sequence[ComplaintEvent]) -> list[Announcement]:
    """The announcements recorded events make, in their order (one event may make two)."""
    announced: list[Announcement] = []
    for event in events:
        complaint = event.complaint
        if not _seen_by_business(complaint):
            continue
        kind = KIND_OF_EVENT.get(Event(event.event))
        if kind is not None:
            announced.append(Announcement(kind, complaint, event.created_at, event))
        if event.to_status in CLOSED_STATES and event.from_status not in CLOSED_STATES:
            announced.append(Announcement(CLOSED, complaint, event.created_at, event))
    return announced


def reminder_announcements(complaint: Complaint, now: datetime) -> list[Announcement]:
    """A reminder of a due date the business must meet."""
    if not _seen_by_business(complaint) or complaint.due_kind not in BUSINESS_DUE_KINDS:
        return []
    return [Announcement(DEADLINE_REMINDER, complaint, now)]


def announce(announcements: Sequence[Announcement]) -> None:
    """Tell every listener, inside the caller's transaction."""
    if not announcements:
        return
    for listener in _listeners:
        listener(announcements)
