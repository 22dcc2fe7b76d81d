"""`manage.py enforce_deadlines`: run the deadline sweep once, the same one beat runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from complaints.sweep import sweep
from core.outbox import emails_send_due


class Command(BaseCommand):
    help = "Apply every passed due date and send due reminders once, and print what was done."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-emails",
            action="store_true",
            help="Also send every pending e-mail that is due, here rather than through a worker.",
        )
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per batch (REDRESS_SWEEP_BATCH_SIZE).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep(batch_size=options["batch_size"])
        for item in report.applied:
            self.stdout.write(f"#{item.number}: {item.outcome} ({item.from_status} -> {item.to_status})")
        for number, kind in report.reminded:
            self.stdout.write(f"#{number}: reminder sent ({kind})")
        self.stdout.write(self.style.SUCCESS(f"Deadline sweep at {report.now.isoformat()}: {report.summary()}"))
        if options["send_emails"]:
            results = emails_send_due()
            summary = ", ".join(f"{outcome}: {n}" for outcome, n in sorted(results.items())) or "nothing pending"
            self.stdout.write(self.style.SUCCESS(f"E-mails: {summary}"))
