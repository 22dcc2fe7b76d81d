"""Poll the IMAP mailbox once (REDRESS_IMAP_URL), as the periodic task does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inbound.imap import mailbox_poll


class Command(BaseCommand):
    help = "Receive what waits in the IMAP mailbox of REDRESS_IMAP_URL, once."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDRESS_IMAP_URL:
            raise CommandError("REDRESS_IMAP_URL is not set.")
        results = mailbox_poll()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(results.items())) or "no messages")
