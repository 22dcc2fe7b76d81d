"""`manage.py verify_timeline [--number N]`: recompute every complaint's hash chain and report each broken link.

Exit status 1 when any link is broken, 0 otherwise (docs/operations.md, "Checking the record").
On a terminal it shows its progress and an estimate of the time left; elsewhere it is quiet.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from complaints.models import Complaint, ComplaintEvent
from complaints.timeline import Break, Link, chain_breaks, event_content

CHUNK = 5000


class Progress:
    """A one-line counter with an estimate, on a terminal only (never in CI or a pipe)."""

    def __init__(self, total: int, stream: Any) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.shown = stream.isatty() and not os.environ.get("CI")
        self.started = self.last = time.monotonic()

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if not self.shown or (now - self.last < 0.5 and self.done < self.total):
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-6)
        left = (self.total - self.done) / rate if rate else 0
        percent = 100 * self.done / self.total if self.total else 100
        self.stream.write(f"\r{self.done:,}/{self.total:,} events ({percent:.0f}%), about {left:.0f} s left ")
        self.stream.flush()

    def end(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def _rows(complaints: Any) -> Iterator[tuple[Any, ...]]:
    events = (
        ComplaintEvent.objects.filter(complaint__in=complaints)
        .order_by("complaint_id", "created_at", "id")
        .values_list(
            "complaint_id",
            "complaint__number",
            "complaint__timeline_head",
            "id",
            "event",
            "actor_id",
            "actor_role",
            "from_status",
            "to_status",
            "reason",
            "data",
            "created_at",
            "hash",
        )
    )
    return events.iterator(chunk_size=CHUNK)


def _complaints(n: int) -> str:
    return f"{n:,} complaint{'s' if n != 1 else ''}"


class Command(BaseCommand):
    help = "Recompute the hash chain of every complaint's timeline; print each broken link and exit 1 if any."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--number", help="Check only the complaint with this case number.")

    def handle(self, *args: Any, **options: Any) -> None:
        complaints = Complaint.objects.all()
        if options["number"]:
            complaints = complaints.filter(number=options["number"])
            if not complaints.exists():
                raise CommandError(f"No complaint #{options['number']}.")
        progress = Progress(ComplaintEvent.objects.filter(complaint__in=complaints).count(), sys.stderr)
        checked = broken = chains = 0
        for (_, number, head), rows in itertools.groupby(_rows(complaints), key=lambda row: row[:3]):
            links = []
            for row in rows:
                _, _, _, pk, kind, actor_id, role, source, target, reason, data, created_at, stored = row
                content = event_content(
                    number=number,
                    event=kind,
                    actor_id=actor_id,
                    actor_role=role,
                    from_status=source,
                    to_status=target,
                    reason=reason,
                    data=data,
                    created_at=created_at,
                )
                links.append(Link(pk, kind, created_at, content, stored))
            chains += 1
            checked += len(links)
            progress.step(len(links))
            for found in chain_breaks(links):
                broken += 1
                self._report(number, found)
            if links and links[-1].stored_hash != head:
                broken += 1
                self.stdout.write(
                    f"#{number}: the chain's head on the complaint ({head or 'empty'}) is not the hash of its "
                    f"last event {links[-1].event_id} ({links[-1].stored_hash})"
                )
        progress.end()
        if broken:
            self.stdout.write(
                self.style.ERROR(f"{broken} broken link(s) in {checked:,} events of {chains:,} complaints.")
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"{checked:,} events checked in {_complaints(chains)}: no broken link."))

    def _report(self, number: str, found: Break) -> None:
        self.stdout.write(
            f"#{number}: event {found.event_id} ({found.kind}, {found.created_at.isoformat()}) is broken: "
            f"stored hash {found.stored or 'empty'}, the chain gives {found.expected}"
        )
