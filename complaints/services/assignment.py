"""Who on the staff looks after a case (docs/decisions/0030-staff-assignment.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core.errors import InvalidInput, NotAllowed, NotFound
from core.security import security_event

from ..models import Assignment, Complaint
from ..selectors.staff_queues import staff_queues_forget

if TYPE_CHECKING:
    from accounts.models import User

REASON_MAX = 500


@transaction.atomic
def complaint_assign(*, complaint_id: int, staff: User, assignee: User | None, reason: str = "") -> Assignment:
    """Assign a complaint to a staff member (None: to nobody), recording who did it and why."""
    if not staff.is_staff:
        raise NotAllowed("Only Redress staff can do this.")
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise InvalidInput("Not a staff member.", field_errors={"assigned_to": ["Choose an active staff member."]})
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput("Too long.", field_errors={"reason": [f"Keep it to {REASON_MAX} characters."]})
    complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    now = timezone.now()
    Complaint.objects.filter(pk=complaint.pk).update(assigned_to=assignee, updated_at=now)
    staff_queues_forget()
    entry = Assignment.objects.create(
        complaint=complaint, assigned_to=assignee, assigned_by=staff, reason=reason, created_at=now
    )
    security_event(
        "staff_act",
        user=staff,
        complaint=complaint.number,
        act="assign",
        assigned_to=assignee.email if assignee else "",
        reason=reason,
    )
    return entry
