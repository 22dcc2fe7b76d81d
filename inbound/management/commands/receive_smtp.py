"""Listen for replies over SMTP on the one-machine default (scripts/run starts it on 127.0.0.1:8025)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from inbound.smtp import listener


class Command(BaseCommand):
    help = "Receive replies by SMTP (aiosmtpd) until stopped; for one machine, not for the internet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args: Any, **options: Any) -> None:
        controller = listener(host=options["host"], port=options["port"])
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        controller.start()
        self.stdout.write(f"Receiving replies by SMTP on {options['host']}:{options['port']}", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
