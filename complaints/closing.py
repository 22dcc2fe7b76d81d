"""Why a closed complaint closed, in one sentence, from the event that closed it.

Shown on the case page, on the published entry and in the API (`closing_summary`), so every
party and the public read the same reason (docs/domain.md, "Why a case closed").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from core.dates import day_text

from .models import Status
from .workflow import CLOSED_STATES, Event


def _with(reason: str) -> str:
    reason = (reason or "").strip().rstrip(".")
    return f": {reason}" if reason else ""


def closing_event(events: Iterable[Any], status: str) -> Any | None:
    """The event that moved the complaint into its present `status`: the last one that entered it."""
    found = None
    for event in events:
        if event.to_status == status and event.from_status != event.to_status:
            found = event
    return found


def summary_of(complaint: Any, events: Iterable[Any], business_name: str | None = None) -> str:
    """The closing sentence of a complaint, from its events in order; empty while it is open."""
    event = closing_event(events, complaint.status)
    if event is None:
        return ""
    return closing_summary(
        status=complaint.status,
        event=event.event,
        reason=event.reason,
        at=event.created_at,
        business_name=business_name if business_name is not None else complaint.business_display_name,
        reject_reason=complaint.get_reject_reason_display() if complaint.reject_reason else "",
    )


def closing_summary(
    *, status: str, event: str, reason: str, at: datetime, business_name: str, reject_reason: str = ""
) -> str:
    """The sentence for a complaint in closed `status`, closed by `event` at `at` with `reason`."""
    if status not in CLOSED_STATES:
        return ""
    label = Status(status).label
    day = day_text(at)
    match (status, event):
        case (Status.RESOLVED, Event.ACCEPT):
            return f"Closed as Resolved: the complainant accepted the business's answer on {day}."
        case (Status.RESOLVED, Event.MARK_RESOLVED):
            return f"Closed as Resolved: the complainant said on {day} that the issue was resolved."
        case (Status.RESOLVED, Event.MEDIATION_RESOLVED):
            return f"Closed as Resolved: the mediation reached an agreement on {day}{_with(reason)}."
        case (Status.ANSWERED, Event.ANSWER_DEADLINE):
            return f"Closed as Answered: the complainant did not reply to the business's answer by {day}."
        case (Status.ANSWERED, Event.RULE_ANSWERED):
            return f"Closed as Answered: Redress staff found a good-faith effort by {business_name}{_with(reason)}."
        case (Status.ANSWERED, Event.RULING_DEADLINE):
            return f"Closed as Answered: no ruling was made by {day}, and a rejected answer counts as Answered."
        case (Status.UNANSWERED, Event.BUSINESS_DEADLINE):
            return f"Closed as Unanswered: {business_name} did not respond by {day}, after a second notice."
        case (Status.UNRESOLVED, Event.RULE_UNRESOLVED):
            return f"Closed as Unresolved: Redress staff found no good-faith effort by {business_name}{_with(reason)}."
        case (Status.UNRESOLVED, Event.MEDIATION_UNRESOLVED):
            return f"Closed as Unresolved: {business_name} refused or ignored the mediation's outcome{_with(reason)}."
        case (Status.UNPURSUABLE, _):
            return f"Closed as Unpursuable: Redress could not reach {business_name}{_with(reason)}."
        case (Status.REJECTED, _):
            because = f" ({reject_reason})" if reject_reason else ""
            return f"Not accepted by Redress{because}{_with(reason)}."
        case (Status.WITHDRAWN, _):
            return f"Withdrawn by the complainant on {day}."
    return f"Closed as {label} on {day}."
