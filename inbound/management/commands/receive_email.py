"""Receive one raw RFC 5322 message on standard input: the MTA pipe of docs/operations.md.

Exits 0 when the message was stored or deliberately dropped (an auto-reply, a bounce, a copy of
one already received) and 65 (EX_DATAERR) when it was refused, with the reason on standard error.
When Redress cannot take the message now (its database is down, say) it exits 75 (EX_TEMPFAIL),
so the MTA keeps the message and tries again later.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from inbound.models import InboundMessage
from inbound.services import message_receive

EX_DATAERR = 65
EX_TEMPFAIL = 75
logger = logging.getLogger(__name__)
CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = "Receive one raw e-mail on standard input (for Postfix or Exim); exit 65 when it is refused."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sender", help="The envelope sender (Postfix: ${sender}); empty for a bounce. Default: Return-Path."
        )
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="An envelope recipient (Postfix: ${original_recipient}); may be given more than once.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The MTA puts what this writes on standard error into its bounce: only the reason goes
        # there, unless more is asked for (--verbosity 2).
        if options["verbosity"] < 2:
            logging.getLogger().setLevel(logging.WARNING)
        stream = sys.stdin.buffer
        # Read one byte past the limit and count the rest: a message too large is refused, not stored.
        raw = stream.read(settings.REDRESS_INBOUND_MAX_BYTES + 1)
        size = len(raw)
        while chunk := stream.read(CHUNK):
            size += len(chunk)
        if not raw.strip():
            self.stderr.write("refused: no message on standard input")
            raise SystemExit(EX_DATAERR)
        try:
            receipt = message_receive(
                raw=raw,
                via=InboundMessage.Via.PIPE,
                envelope_sender=options["sender"],
                envelope_recipients=options["recipient"],
                size=size,
            )
        except Exception as error:  # the database or storage failing: the MTA must keep the message
            logger.exception("Could not receive the message; the MTA will try again")
            self.stderr.write(f"temporary failure, try again later: {type(error).__name__}")
            raise SystemExit(EX_TEMPFAIL) from error
        if receipt.status == InboundMessage.Status.REFUSED and not receipt.duplicate:
            self.stderr.write(f"refused ({receipt.reason_code}): {receipt.reason}")
            raise SystemExit(EX_DATAERR)
        copy = " (a copy of a message already received)" if receipt.duplicate else ""
        self.stdout.write(f"{receipt.status}{copy}: {receipt.message.message_id}")
