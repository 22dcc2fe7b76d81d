"""Writes of what people are told: the planned notices and e-mails, and notices marked read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from core.bulk import insert_rows
from core.models import OutboundEmail
from core.outbox import emails_queue_on_commit

from ..models import Notification
from ..notifications import EMAIL_COLUMNS, NOTICE_COLUMNS, Outbox

if TYPE_CHECKING:
    from accounts.models import User


def outbox_write(outbox: Outbox) -> None:
    """Store the planned in-app notices and e-mails, and queue the e-mails once the transaction commits."""
    insert_rows(Notification, NOTICE_COLUMNS, outbox.notices)
    email_ids = insert_rows(OutboundEmail, EMAIL_COLUMNS, outbox.emails)
    if email_ids:
        emails_queue_on_commit(email_ids)


def notification_mark_read(*, user: User, ids: list[int]) -> int:
    """Mark the user's given notifications read; returns how many changed."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
