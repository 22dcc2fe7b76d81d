"""Who hears about each event. Called inside the transition's transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Notification

if TYPE_CHECKING:
    from .models import ComplaintEvent


def event_recorded(event: ComplaintEvent) -> None:
    """Store the in-app notice for the complainant about a recorded event."""
    complaint = event.complaint
    if event.actor_id == complaint.complainant_id:
        return
    Notification.objects.create(
        user_id=complaint.complainant_id,
        complaint=complaint,
        event=event,
        message=f"Complaint #{complaint.number}: {event.event.replace('_', ' ')} ({event.get_to_status_display()})",
        url=complaint.get_absolute_url(),
    )
