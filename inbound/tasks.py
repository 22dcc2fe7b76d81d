"""Celery tasks of inbound mail: adapters. The periodic poll is scheduled in config/schedule.py."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .imap import mailbox_poll


@shared_task(name="inbound.tasks.poll_mailbox")
def poll_mailbox() -> dict[str, int]:
    """Receive what waits in the IMAP mailbox (REDRESS_IMAP_URL); nothing when none is configured."""
    if not settings.REDRESS_IMAP_URL:
        return {}
    return dict(mailbox_poll())
