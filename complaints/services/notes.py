"""Private staff notes on a case: staff only, append-only, never shown to the parties or the public.

A note is its own record (author, time, text), not a timeline event: the timeline is what the
parties read (docs/decisions/0028-private-staff-notes.md).
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from core.errors import InvalidInput, NotAllowed, NotFound
from core.security import security_event

from ..models import Complaint, StaffNote

NOTE_MAX = 10_000


@transaction.atomic
def staff_note_add(*, complaint_id: int, staff: User, text: str) -> StaffNote:
    """Add a private note to the case; only staff may."""
    if not staff.is_staff:
        raise NotAllowed("Only Redress staff can do this.")
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Text is required.", field_errors={"text": ["Write the note."]})
    if len(text) > NOTE_MAX:
        raise InvalidInput("Too long.", field_errors={"text": [f"Keep it to {NOTE_MAX:,} characters."]})
    number = Complaint.objects.filter(pk=complaint_id).values_list("number", flat=True).first()
    if number is None:
        raise NotFound("No such complaint.")
    note = StaffNote.objects.create(complaint_id=complaint_id, author=staff, text=text)
    # On the security log like every staff act, without the note's text (it stays in its row).
    security_event("staff_note", user=staff, complaint=number, note_id=note.pk)
    return note
