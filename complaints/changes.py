"""What one move changes on the complaint row: a planner, it writes nothing.

`move_changes` returns the fields to set, as a dict, for an allowed move (`workflow.resolve`
found its row): first what the event itself carries (a forward records when the business was
told, a response is counted, a hold stops the screening clock, ...), then the state the table
leads to and the due date of that state (`workflow.deadline_for`, reminders from
`deadlines.remind_at_for`). The writer (`complaints.services.moves`) applies the dict to the
locked complaint and writes exactly those fields, for one complaint or a page of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings

from .deadlines import days_after, remind_at_for, resumed_due
from .models import Complaint, Status
from .workflow import CLOSED_STATES, LATE_RESPONSE_STATES, Event, Facts, Outcome, deadline_for


def pause_ended(complaint: Complaint, now: datetime) -> dict[str, Any]:
    """The fields that end a paused screening clock, the time paused added to the total."""
    if complaint.paused_at is None:
        return {}
    return {"paused_at": None, "paused_total": complaint.paused_total + (now - complaint.paused_at)}


def event_changes(
    complaint: Complaint, event: Event, source: str, data: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """The fields an event sets on the complaint besides its state and due date."""
    match event:
        case Event.FORWARD:
            return {"on_hold": False, "forwarded_at": complaint.forwarded_at or now, **pause_ended(complaint, now)}
        case Event.HOLD:
            return {"on_hold": True, "paused_at": complaint.paused_at or now}
        case Event.RESUME:
            # Still paused if the business is not linked yet: the clock waits for that too.
            return {"on_hold": False, **(pause_ended(complaint, now) if complaint.business_id else {})}
        case Event.REJECT if "duplicate_of_id" in data:
            return {"reject_reason": data.get("reject_reason", ""), "duplicate_of_id": data["duplicate_of_id"]}
        case Event.REJECT:
            return {"reject_reason": data.get("reject_reason", "")}
        case Event.CHANGE_CONSENT if "publish_consent" in data:
            return {"publish_consent": bool(data["publish_consent"])}
        case Event.EDIT_PUBLIC_TEXT:
            edited = {"masked_at": now}
            if "description" in data:
                edited["description_masked"] = data["description"]
            return edited
        case Event.LINK_BUSINESS if "business_id" in data:
            linked = {"business_id": data["business_id"], "business_name": data["business_name"]}
            return linked if complaint.on_hold else {**linked, **pause_ended(complaint, now)}
        case Event.RESPOND:
            responded: dict[str, Any] = {
                "response_count": complaint.response_count + 1,
                "first_response_at": complaint.first_response_at or now,
                "late_response": complaint.late_response or source in LATE_RESPONSE_STATES,
            }
            if data.get("outcome"):
                relief = data.get("relief_amount")
                responded["business_outcome"] = data["outcome"]
                responded["relief_amount"] = Decimal(relief) if relief is not None else None
            return responded
        case Event.PUBLIC_RESPONSE if "public_response" in data:
            return {
                "public_response": data["public_response"],
                "public_response_masked": data.get("public_response_masked", ""),
                "public_response_at": now,
            }
        case Event.BUSINESS_DEADLINE if complaint.response_count == 0:
            return {"second_notice_sent_at": complaint.second_notice_sent_at or now}
    return {}


def facts_after(complaint: Complaint, changes: Mapping[str, Any]) -> Facts:
    """The workflow facts of the complaint once `changes` are applied (for the next due date)."""

    def value(name: str) -> Any:
        return changes[name] if name in changes else getattr(complaint, name)

    return Facts(
        response_count=value("response_count"),
        second_notice_sent=value("second_notice_sent_at") is not None,
        business_known=value("business_id") is not None,
        on_hold=value("on_hold"),
    )


def due_changes(
    status: str, facts: Facts, now: datetime, *, filed_at: datetime | None = None, paused: timedelta = timedelta(0)
) -> dict[str, Any]:
    """The due date, its kind and its reminder for a complaint entering (or restarting) `status`.

    Screening counts from filing, plus the time its clock was paused (`paused`); every other
    period counts from `now`, when the complaint enters the state.
    """
    deadline = deadline_for(status, facts)
    due_at = None
    if deadline.setting:
        period = getattr(settings, deadline.setting)
        screening = status == Status.SUBMITTED
        due_at = resumed_due(filed_at or now, period, paused) if screening else days_after(now, period)
    return {
        "due_kind": deadline.kind,
        "due_at": due_at,
        "reminded_at": None,
        "remind_at": remind_at_for(deadline.kind, due_at, now),
    }


def move_changes(
    complaint: Complaint, *, outcome: Outcome, event: Event, data: Mapping[str, Any], now: datetime
) -> dict[str, Any]:
    """Every field an allowed move sets on the complaint (which is left untouched)."""
    assert outcome.transition is not None and outcome.target is not None
    source, target = complaint.status, outcome.target
    changes = event_changes(complaint, event, source, data, now)
    if target != source:
        changes.update(status=target, status_changed_at=now, closed_at=now if target in CLOSED_STATES else None)
    if target != source or outcome.transition.resets_due:
        paused = changes.get("paused_total", complaint.paused_total)
        facts = facts_after(complaint, changes)
        changes.update(due_changes(target, facts, now, filed_at=complaint.filed_at, paused=paused))
    changes["updated_at"] = now
    return changes
