"""Poll an IMAP mailbox (`REDRESS_IMAP_URL`): receive each message, then file it away.

Each message in the folder the URL names (INBOX by default) is fetched without marking it read,
received by `inbound.services.message_receive`, and moved to the processed folder, or to the
refused folder when it was refused.

One poll of a mailbox runs at a time: a poll takes a lock in the shared cache (Redis in
production) and a second worker finds it taken and does nothing. IMAP has no way to claim a
message, and two sessions moving the same message at once each copy it. Should two polls still
meet (a lock that expired during a very long poll), the unique Message-ID makes the second wait
for the first and find the message stored, so it is applied once all the same.
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from .models import InboundMessage
from .services import message_receive

logger = logging.getLogger(__name__)

# How long a poll may hold the mailbox before another may start (a worker killed mid-poll).
LOCK_SECONDS = 600


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    ssl: bool
    username: str
    password: str
    folder: str


def mailbox_from_url(url: str) -> Mailbox:
    """Read `imap://user:password@host:port/FOLDER` (or `imaps://`, TLS, port 993 by default)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("REDRESS_IMAP_URL must look like imaps://user:password@host/INBOX")
    ssl = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if ssl else 143),
        ssl=ssl,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _move(client: IMAPClient, uid: int, folder: str) -> None:
    try:
        if client.has_capability("MOVE"):
            client.move([uid], folder)
        else:
            client.copy([uid], folder)
            client.add_flags([uid], [b"\\Deleted"])
            client.uid_expunge([uid]) if client.has_capability("UIDPLUS") else client.expunge()
    except IMAPClientError:
        # Another worker moved it first; it is stored either way.
        logger.info("IMAP message %s was already moved to %s", uid, folder)


def mailbox_poll(*, url: str | None = None, limit: int = 200) -> Counter[str]:
    """Receive up to `limit` messages waiting in the mailbox; returns how many ended how.

    Returns nothing when another poll of the same mailbox is running.
    """
    mailbox = mailbox_from_url(url or settings.REDRESS_IMAP_URL)
    lock = f"redress:imap-poll:{mailbox.username}@{mailbox.host}:{mailbox.port}/{mailbox.folder}"
    if not cache.add(lock, 1, timeout=LOCK_SECONDS):
        logger.info("IMAP poll of %s@%s skipped: another poll is running", mailbox.username, mailbox.host)
        return Counter()
    try:
        results = _poll(mailbox, limit)
    finally:
        cache.delete(lock)
    if results:
        logger.info("IMAP poll of %s@%s: %s", mailbox.username, mailbox.host, dict(results))
    return results


def _poll(mailbox: Mailbox, limit: int) -> Counter[str]:
    processed, refused = settings.REDRESS_IMAP_PROCESSED_FOLDER, settings.REDRESS_IMAP_REFUSED_FOLDER
    results: Counter[str] = Counter()
    with IMAPClient(mailbox.host, port=mailbox.port, ssl=mailbox.ssl, timeout=30) as client:
        client.login(mailbox.username, mailbox.password)
        for folder in (processed, refused):
            if not client.folder_exists(folder):
                with contextlib.suppress(IMAPClientError):  # created by another worker meanwhile
                    client.create_folder(folder)
        client.select_folder(mailbox.folder)
        for uid in client.search(["NOT", "DELETED"])[:limit]:
            fetched = client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
            if fetched is None or b"BODY[]" not in fetched:
                continue  # gone since the search
            receipt = message_receive(raw=fetched[b"BODY[]"], via=InboundMessage.Via.IMAP)
            results["duplicate" if receipt.duplicate else str(receipt.status)] += 1
            _move(client, uid, refused if receipt.status == InboundMessage.Status.REFUSED else processed)
    return results
