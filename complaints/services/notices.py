"""Writes of what people are told: the planned notices and e-mails, and notices marked read."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.bulk import insert_rows
from core.models import OutboundEmail
from core.outbox import emails_queue_on_commit

from ..models import Notification
from ..notifications import EMAIL_COLUMNS, NOTICE_COLUMNS, Outbox


def outbox_write(outbox: Outbox) -> None:
    """Store the planned in-app notices and e-mails, and queue the e-mails once the transaction commits."""
    insert_rows(Notification, NOTICE_COLUMNS, outbox.notices)
    email_ids = insert_rows(OutboundEmail, EMAIL_COLUMNS, outbox.emails)
    if email_ids:
        emails_queue_on_commit(email_ids)


def notification_mark_read(*, user: User, ids: list[int]) -> int:
    """Mark the user's given notifications read; returns how many changed."""
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def failed_emails_alert() -> int:
    """Tell every active staff member in the app about each e-mail the outbox gave up on, once.

    Run by the periodic task `complaints.tasks.alert_failed_emails`; an e-mail is alerted once
    (`alerted_at`), however often the task runs. Returns how many e-mails were alerted.
    """
    with transaction.atomic():
        failed = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(state=OutboundEmail.State.FAILED, alerted_at__isnull=True)
            .order_by("pk")[:500]
        )
        if not failed:
            return 0
        staff = list(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))
        rows = []
        for email in failed:
            message = f"E-mail to {email.to} failed after {email.attempts} attempts: {email.subject}"[:300]
            url = reverse("admin:core_outboundemail_change", args=[email.pk])
            rows += [(user_id, email.complaint_id, None, message, url) for user_id in staff]
        insert_rows(Notification, NOTICE_COLUMNS, rows)
        OutboundEmail.objects.filter(pk__in=[email.pk for email in failed]).update(alerted_at=timezone.now())
    return len(failed)
