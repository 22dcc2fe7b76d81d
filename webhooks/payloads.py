"""What a delivery carries: only what the business's representatives see in their dashboard.

A complaint forwarded to the business, as the representative reads it: its number, state, type,
what is asked, the description and when things are due; never the complainant's e-mail or
address (docs/domain.md, "Webhooks").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from complaints.announcements import Announcement
from complaints.models import Complaint

from .models import PING


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def complaint_payload(complaint: Complaint) -> dict[str, Any]:
    return {
        "number": complaint.number,
        "status": complaint.status,
        "type": complaint.type,
        "description": complaint.description,
        "desired_outcome": complaint.desired_outcome,
        "filed_at": _when(complaint.filed_at),
        "forwarded_at": _when(complaint.forwarded_at),
        "due_at": _when(complaint.due_at),
        "due_kind": complaint.due_kind,
    }


def announcement_payload(announcement: Announcement, business_slug: str) -> dict[str, Any]:
    """The JSON body of a delivery, in the Standard Webhooks shape (type, timestamp, data)."""
    data: dict[str, Any] = {"business": business_slug, "complaint": complaint_payload(announcement.complaint)}
    if announcement.event is not None:
        data["event"] = {
            "event": announcement.event.event,
            "from_status": announcement.event.from_status,
            "to_status": announcement.event.to_status,
            "created_at": _when(announcement.event.created_at),
        }
    return {"type": announcement.kind, "timestamp": _when(announcement.at), "data": data}


def ping_payload(business_slug: str, now: datetime) -> dict[str, Any]:
    return {"type": PING, "timestamp": _when(now), "data": {"business": business_slug}}
