"""A complaint's timeline as its parties read it: one line per event, in people's words, with the reason.

The case page and the API (`timeline`) show these lines; no internal event or state names reach
people (docs/domain.md, "The record's integrity"). A pure function of the events: no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.dates import day_text

from .models import RejectReason, Status
from .workflow import STAFF_EVENTS, Event

# Reasons the history shows beside the line; a rejected answer's reason is the answer itself,
# which the thread shows, and the system's reasons are part of its sentence.
REASON_SHOWN = STAFF_EVENTS | {Event.WITHDRAW}


@dataclass(frozen=True)
class Line:
    at: datetime
    text: str
    reason: str
    attachments: tuple[Any, ...] = ()  # the files staff sent with the act (complaints.Attachment)


def event_text(
    *,
    event: str,
    actor_role: str,
    from_status: str,
    to_status: str,
    data: Mapping[str, Any],
    at: datetime,
    business: str,
    to_complainant: bool = False,
) -> str:
    """What one event says, in a sentence; `to_complainant`: written to the complainant ("you", "your complaint")."""
    staff = "Redress staff"
    they = "You" if to_complainant else "The complainant"
    theirs = "your complaint" if to_complainant else "the complaint"
    match event:
        case Event.FILE:
            return f"{they} filed {theirs}"
        case Event.FORWARD:
            who = "Redress" if actor_role == "system" else staff
            return f"{who} forwarded {theirs} to {business}"
        case Event.HOLD:
            return f"{staff} put {theirs} on hold"
        case Event.RESUME:
            return f"{staff} ended the hold; screening continues"
        case Event.REJECT:
            code = data.get("reject_reason", "")
            label = RejectReason(code).label if code in RejectReason.values else ""
            if data.get("duplicate_of"):
                label = f"{label}: #{data['duplicate_of']}"
            return f"{staff} did not accept {theirs}" + (f" ({label})" if label else "")
        case Event.UNPURSUABLE:
            return f"{staff} closed {theirs}: {business} could not be reached"
        case Event.RESPOND:
            late = " late, after the complaint had closed as Unanswered" if from_status == Status.UNANSWERED else ""
            return f"{business} responded{late}"
        case Event.ACCEPT:
            return f"{they} accepted the answer"
        case Event.REJECT_ANSWER:
            if to_status == Status.STAFF_REVIEW:
                return f"{they} rejected the answer; Redress staff will rule"
            return f"{they} rejected the answer; {business} was asked to respond again"
        case Event.MARK_RESOLVED:
            return f"{they} marked {theirs} resolved"
        case Event.WITHDRAW:
            return f"{they} withdrew {theirs}"
        case Event.ADD_INFORMATION:
            return f"{they} added information"
        case Event.BUSINESS_INFORMATION:
            return f"{business} added information"
        case Event.CHANGE_CONSENT:
            allowed = data.get("publish_consent")
            return (
                f"{they} allowed the text to be published"
                if allowed
                else f"{they} withdrew consent to publish the text"
            )
        case Event.BUSINESS_DEADLINE if to_status == Status.AWAITING_BUSINESS:
            return f"{business} did not respond by {day_text(at)} — second notice sent"
        case Event.BUSINESS_DEADLINE if to_status == Status.UNANSWERED:
            return f"{business} did not respond by {day_text(at)} — closed as Unanswered"
        case Event.BUSINESS_DEADLINE:
            return f"{business} did not respond again by {day_text(at)} — Redress staff will rule"
        case Event.ANSWER_DEADLINE:
            return f"{they} did not answer by {day_text(at)} — closed as Answered"
        case Event.RULING_DEADLINE:
            return f"No ruling was made by {day_text(at)} — closed as Answered"
        case Event.RULE_ANSWERED:
            return f"{staff} ruled that {business} made a good-faith effort: closed as Answered"
        case Event.RULE_UNRESOLVED:
            return f"{staff} ruled that {business} made no good-faith effort: closed as Unresolved"
        case Event.OPEN_MEDIATION:
            kind = "arbitration" if data.get("kind") == "arbitration" else "mediation"
            return f"{staff} opened {kind}"
        case Event.MEDIATION_RESOLVED:
            return "The mediation ended in agreement: closed as Resolved"
        case Event.MEDIATION_UNRESOLVED:
            return f"The mediation ended without {business} honouring it: closed as Unresolved"
        case Event.REOPEN:
            return f"{staff} reopened {theirs}"
        case Event.EDIT_PUBLIC_TEXT:
            return f"{staff} edited the published text"
        case Event.PUBLIC_RESPONSE:
            return f"{business} added a public response"
        case Event.LINK_BUSINESS:
            return f"{staff} found {data.get('business_name') or business} in the directory"
    return "The complaint was updated"


def history(
    events: Iterable[Any],
    *,
    business: str,
    to_complainant: bool = False,
    files: Mapping[int, Sequence[Any]] | None = None,
) -> list[Line]:
    """The lines of these events (ComplaintEvent rows, in order), written to the complainant if `to_complainant`.

    `files` gives the files sent with an event, by its id (disputes.selectors.act_attachments).
    """
    files = files or {}
    return [
        Line(
            event.created_at,
            event_text(
                event=event.event,
                actor_role=event.actor_role,
                from_status=event.from_status,
                to_status=event.to_status,
                data=event.data or {},
                at=event.created_at,
                business=business,
                to_complainant=to_complainant,
            ),
            event.reason if event.event in REASON_SHOWN else "",
            tuple(files.get(event.pk, ())),
        )
        for event in events
    ]
