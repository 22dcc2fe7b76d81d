"""A local SMTP listener (aiosmtpd) for the one-machine default: mail a reply to it, see it on the case.

It takes mail for reply addresses only (`reply+TOKEN@REDRESS_REPLY_DOMAIN`), and hands each
message to `inbound.services.message_receive`: 250 when it is stored or dropped, 550 with the
reason when it is refused (the sender is also sent the explaining e-mail), 451 when Redress
cannot take it now. It is not meant to
face the internet: production receives through its MTA and `manage.py receive_email` or IMAP.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from core.replies import address_token

from .models import InboundMessage
from .services import Receipt, message_receive

logger = logging.getLogger(__name__)


def _receive(raw: bytes, sender: str, recipients: list[str]) -> Receipt:
    close_old_connections()
    try:
        return message_receive(
            raw=raw, via=InboundMessage.Via.SMTP, envelope_sender=sender, envelope_recipients=recipients
        )
    finally:
        close_old_connections()


class ReplyHandler:
    """aiosmtpd's handler: check each recipient, receive each message."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address_token(address) is None:
            return "550 5.1.1 Not a Redress reply address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        try:
            receipt = await sync_to_async(_receive, thread_sensitive=True)(
                bytes(raw), envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except Exception:  # the database failing: the sender's server keeps the message and retries
            logger.exception("Could not receive a message over SMTP")
            return "451 4.3.0 Temporary failure, try again later"
        if receipt.status == InboundMessage.Status.REFUSED:
            reason = " ".join(receipt.reason.split())[:400]
            return f"550 5.7.1 Refused: {reason}"
        return "250 OK: received"


def listener(*, host: str, port: int) -> Controller:
    """The listener, not yet started. It takes messages up to twice the size limit, so that one over
    the limit is refused with an explaining e-mail rather than cut off by the SMTP server."""
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=2 * settings.REDRESS_INBOUND_MAX_BYTES,
        server_hostname=settings.REDRESS_REPLY_DOMAIN or "redress",
    )
