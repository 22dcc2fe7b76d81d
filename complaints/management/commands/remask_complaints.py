"""`manage.py remask_complaints [--batch-size N]`: mask every stored masked copy again with today's rules.

Run it when the masking rules change (docs/operations.md, "Re-masking the published text"). It
walks the complaints that have a masked copy in pages (by id), masks their descriptions and
thread entries again, keeps what staff edited by hand, and re-indexes search for each complaint
whose published text changed. It can be stopped and run again. On a terminal it shows its
progress and an estimate of the time left; elsewhere (CI, a pipe, a migration) it is quiet.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, OutputWrapper

from complaints.models import Complaint
from complaints.services import RemaskPage, complaints_remask


class Progress:
    """A one-line counter with an estimate, on a terminal only."""

    def __init__(self, total: int, stream: OutputWrapper) -> None:
        self.total, self.stream, self.done, self.changed = total, stream, 0, 0
        self.shown = stream.isatty() and not os.environ.get("CI")
        self.started = self.last = time.monotonic()
        stream.style_func = None  # plain text, not the red of errors

    def page(self, page: RemaskPage) -> None:
        self.done += page.read
        self.changed += page.changed
        now = time.monotonic()
        if not self.shown or (now - self.last < 0.5 and self.done < self.total):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        left = max(self.total - self.done, 0) / (self.done / elapsed)
        percent = 100 * self.done / self.total if self.total else 100
        self.stream.write(
            f"\r{self.done:,}/{self.total:,} complaints ({percent:.0f}%), {self.changed:,} changed, "
            f"about {left:.0f} s left ",
            ending="",
        )
        self.stream.flush()

    def end(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 78 + "\r", ending="")
            self.stream.flush()


class Command(BaseCommand):
    help = "Mask the published text of every complaint again with the current rules, and re-index search."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=200, help="Complaints per page (one transaction).")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = Progress(Complaint.objects.filter(masked_at__isnull=False).count(), self.stderr)
        read, changed = complaints_remask(size=max(1, options["batch_size"]), on_page=progress.page)
        progress.end()
        self.stdout.write(f"{read:,} complaints with published text read, {changed:,} masked anew.")
