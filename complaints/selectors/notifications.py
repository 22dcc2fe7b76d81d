"""Reads of a user's in-app notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from ..models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread: a count on notification_unread_idx."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (notification_user_idx)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
