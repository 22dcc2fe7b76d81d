"""Reads of a user's in-app notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from accounts.models import Membership
from accounts.selectors import represents_a_business
from core.prepared import PreparedRead, prepared_reads

from ..models import Notification

if TYPE_CHECKING:
    from accounts.models import User


# Every signed-in page's header shows it: prepared once on each connection (core.prepared).
UNREAD_COUNT = PreparedRead(
    "redress_unread_notifications",
    lambda: f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = $1 AND read_at IS NULL",  # nosec B608
)


def notification_unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread: a count on notification_unread_idx."""
    if prepared_reads():
        return int(UNREAD_COUNT.rows(user.pk)[0][0])
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def header_fact_columns(user: str) -> tuple[tuple[str, str], ...]:
    """What every signed-in page's header shows, as two columns of a read with the user's id as `user`
    (a parameter, `$1`): whether the user represents a business (the dashboard link), and how many of
    their notifications are unread. Each an expression and its type (core.prepared.Branch's extras)."""
    return (
        # Table names from the models' meta; `user` is a parameter's placeholder, never a value.
        (f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} WHERE user_id = {user})", "boolean"),  # nosec B608
        (
            f"SELECT count(*) FROM {Notification._meta.db_table} WHERE user_id = {user} AND read_at IS NULL",  # nosec B608
            "bigint",
        ),
    )


# Both of the header's facts in one round trip, for a page whose own reads do not bring them.
HEADER_FACTS = PreparedRead(
    "redress_header_facts",
    lambda: "SELECT " + ", ".join(f"({expression})" for expression, _ in header_fact_columns("$1")),
)


def header_facts(*, user: User) -> tuple[bool, int]:
    """Whether the user represents a business, and how many of their notifications are unread."""
    if not prepared_reads():
        return represents_a_business(user=user), notification_unread_count(user=user)
    represents, unread = HEADER_FACTS.rows(user.pk)[0]
    return bool(represents), int(unread)


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (notification_user_idx)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
