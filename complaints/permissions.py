"""Who a user is with respect to one complaint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Membership

from .workflow import Actor

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Complaint


def roles_for(user: User | None, complaint: Complaint) -> set[Actor]:
    """The roles in which `user` may act on `complaint` (none means not theirs to see)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles: set[Actor] = set()
    if complaint.complainant_id == user.pk:
        roles.add(Actor.COMPLAINANT)
    if (
        complaint.business_id is not None
        and complaint.forwarded_at is not None
        and Membership.objects.filter(user=user, business_id=complaint.business_id).exists()
    ):
        roles.add(Actor.REPRESENTATIVE)
    if user.is_staff:
        roles.add(Actor.STAFF)
    return roles


def business_ids_for(user: User) -> list[int]:
    return list(Membership.objects.filter(user=user).values_list("business_id", flat=True))
