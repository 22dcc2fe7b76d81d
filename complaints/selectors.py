"""Reads. Every list starts from what the user may see; one complaint is fetched and authorised together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from accounts.models import Membership

from .errors import NotFound
from .models import Complaint, Notification

if TYPE_CHECKING:
    from accounts.models import User


def complaint_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints the user may open: their own, their businesses' (once forwarded), or all for staff."""
    qs = Complaint.objects.select_related("business", "complainant")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_staff:
        return qs
    business_ids = Membership.objects.filter(user=user).values("business_id")
    return qs.filter(Q(complainant=user) | Q(business_id__in=business_ids, forwarded_at__isnull=False))


def complaint_get_for_user(*, user: User, number: str) -> Complaint:
    """Fetch one complaint the user may see; missing and forbidden both raise NotFound."""
    complaint = complaint_visible_to(user).filter(number=number).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    return complaint


def complaint_list_for_complainant(*, user: User) -> QuerySet[Complaint]:
    return complaint_visible_to(user).filter(complainant=user)


def complaint_list_for_representative(*, user: User, business_id: int | None = None) -> QuerySet[Complaint]:
    business_ids = Membership.objects.filter(user=user).values("business_id")
    qs = Complaint.objects.select_related("business", "complainant").filter(
        business_id__in=business_ids, forwarded_at__isnull=False
    )
    if business_id is not None:
        qs = qs.filter(business_id=business_id)
    return qs


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
