"""Celery tasks of the outbox: adapters that call `core.outbox`. Each reads the database and can run twice.

The periodic one is scheduled in config/schedule.py.
"""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(name=outbox.SEND_TASK)
def send_emails(email_ids: list[int]) -> dict[str, int]:
    """Send these stored e-mails now (queued after the transaction that stored them commits)."""
    return dict(outbox.emails_send(email_ids=email_ids))


@shared_task(name="core.tasks.send_pending_emails")
def send_pending_emails() -> dict[str, int]:
    """Send or retry every pending e-mail that is due."""
    return dict(outbox.emails_send_due())
