"""`manage.py enforce_deadlines`: run the deadline sweep once, here or on the workers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from kombu.exceptions import OperationalError

from complaints.sweep import sweep
from complaints.tasks import describe_queued, sweep_queue
from core.outbox import emails_send_due


class Command(BaseCommand):
    help = (
        "Apply every passed due date and send due reminders once, in this process (no broker needed), "
        "and print what was done; or, with --queue, hand the sweep's pages to the Celery workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue one task per page for the workers, as the periodic task does, instead of applying it here.",
        )
        parser.add_argument(
            "--send-emails",
            action="store_true",
            help="Also send every pending e-mail that is due, here rather than through a worker.",
        )
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per page (REDRESS_SWEEP_BATCH_SIZE).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["queue"]:
            if options["send_emails"]:
                raise CommandError("--send-emails goes with the sweep run here; with --queue the workers send them.")
            self._queue(options["batch_size"])
            return
        report = sweep(batch_size=options["batch_size"])
        for item in report.applied:
            self.stdout.write(f"#{item.number}: {item.outcome} ({item.from_status} -> {item.to_status})")
        for number, kind in report.reminded:
            self.stdout.write(f"#{number}: reminder sent ({kind})")
        self.stdout.write(self.style.SUCCESS(f"Deadline sweep at {report.now.isoformat()}: {report.summary()}"))
        # A sweep run by hand links to SITE_URL: said, so a wrong port shows (docs/operations.md).
        self.stdout.write(f"Links in e-mails: {settings.SITE_URL}/")
        if options["send_emails"]:
            results = emails_send_due()
            summary = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(results.items())) or "nothing pending"
            self.stdout.write(self.style.SUCCESS(f"E-mails: {summary}"))

    def _queue(self, batch_size: int | None) -> None:
        now = timezone.now()
        try:
            queued = sweep_queue(now=now, batch_size=batch_size)
        except OperationalError as exc:
            raise CommandError(f"Could not queue the sweep's pages ({exc}); without --queue it runs here.") from exc
        self.stdout.write(self.style.SUCCESS(f"Deadline sweep at {now.isoformat()}: {describe_queued(queued)}"))
