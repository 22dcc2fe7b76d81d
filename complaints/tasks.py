"""Celery tasks: adapters that call a service. Each reads the database and can run twice.

The periodic ones are scheduled in config/schedule.py.
"""

from __future__ import annotations

from celery import shared_task

from . import deadlines, emails


@shared_task(name="complaints.tasks.enforce_deadlines")
def enforce_deadlines() -> dict[str, int]:
    """Apply every passed due date and send due reminders."""
    report = deadlines.sweep()
    return dict(report.counts())


@shared_task(name="complaints.tasks.send_emails")
def send_emails(email_ids: list[int]) -> dict[str, int]:
    """Send these stored e-mails now (queued after the transaction that stored them commits)."""
    return dict(emails.emails_send(email_ids=email_ids))


@shared_task(name="complaints.tasks.send_pending_emails")
def send_pending_emails() -> dict[str, int]:
    """Send or retry every pending e-mail that is due."""
    return dict(emails.emails_send_due())
