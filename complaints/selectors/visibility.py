"""Reads of complaints for the people involved: each starts from what the user may see
(complaints.permissions), and one complaint is fetched and authorised together."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet, prefetch_related_objects

from core.errors import NotFound

from ..models import Complaint
from ..permissions import (
    ROLE_FIELDS,
    as_complainant,
    as_representative,
    role_annotations,
    sees_nothing,
    visible_complaints,
)

if TYPE_CHECKING:
    from accounts.models import User


def complaint_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints the user may open: their own, their businesses' (once forwarded), or all for staff."""
    return visible_complaints(user, Complaint.objects.select_related("business", "complainant"))


def complaint_get_for_user(*, user: User, number: str, prefetch: Sequence[Any] = ()) -> Complaint:
    """Fetch one complaint the user may see; missing and forbidden both raise NotFound.

    `prefetch` names related rows (the thread) to load with it, once the complaint is known to be
    the user's to see. The row comes with the user's roles on it (`role_annotations`), which are
    the visibility rule's two filters as values: a complaint the user meets neither of, and is not
    staff for, is not theirs (complaints.permissions), and `roles_for` then needs no query of its own.
    """
    # Case numbers are 8 ASCII digits; anything else (including a NUL byte PostgreSQL refuses) is not one.
    if not (len(number) == 8 and number.isascii() and number.isdigit()) or sees_nothing(user):
        raise NotFound("No such complaint.")
    complaint = (
        Complaint.objects.select_related("business", "complainant")
        .filter(number=number)
        .annotate(**role_annotations(user))
        .first()
    )
    if complaint is None or not (user.is_staff or any(getattr(complaint, name) for name in ROLE_FIELDS)):
        raise NotFound("No such complaint.")
    complaint.roles_fetched_for = user.pk  # type: ignore[attr-defined]
    prefetch_related_objects([complaint], *prefetch)
    return complaint


def complaint_list_for_complainant(*, user: User) -> QuerySet[Complaint]:
    return complaint_visible_to(user).filter(as_complainant(user))


def complaint_list_for_representative(*, business_ids: Sequence[int]) -> QuerySet[Complaint]:
    """The complaints the representatives of these businesses see (see complaints.permissions).

    The ids come as values, not a subquery: with `business_id IN (2)` PostgreSQL walks
    complaint_dashboard_idx in due order and stops at the page; with the subquery it sorted all
    15,000 rows of a large business first (bench/README.md).
    """
    return Complaint.objects.select_related("business", "complainant").filter(as_representative(list(business_ids)))
