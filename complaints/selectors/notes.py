"""Reads of private staff notes: staff only; anyone else reads none."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from ..models import Complaint, StaffNote


def staff_notes_for(*, user: User, complaint: Complaint) -> QuerySet[StaffNote]:
    """The case's private notes, oldest first, for staff; an empty list for anyone else."""
    if not user.is_staff:
        return StaffNote.objects.none()
    return StaffNote.objects.filter(complaint=complaint).select_related("author")
