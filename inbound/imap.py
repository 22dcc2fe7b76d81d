"""Poll an IMAP mailbox (`REDRESS_IMAP_URL`): receive each message, then file it away.

Each message in the folder the URL names (INBOX by default) is fetched without marking it read,
received by `inbound.services.message_receive`, and moved to the processed folder, or to the
refused folder when it was refused. Two workers polling at once may fetch the same message: the
unique Message-ID makes the second wait for the first and find it stored, so it is handled once,
and both move it to the same folder (moving a message already gone does nothing).
"""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from .models import InboundMessage
from .services import message_receive

logger = logging.getLogger(__name__)


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
    """Receive up to `limit` messages waiting in the mailbox; returns how many ended how."""
    mailbox = mailbox_from_url(url or settings.REDRESS_IMAP_URL)
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
                continue  # moved by another worker since the search
            receipt = message_receive(raw=fetched[b"BODY[]"], via=InboundMessage.Via.IMAP)
            results["duplicate" if receipt.duplicate else receipt.status] += 1
            _move(client, uid, refused if receipt.status == InboundMessage.Status.REFUSED else processed)
        client.logout()
    if results:
        logger.info("IMAP poll of %s@%s: %s", mailbox.username, mailbox.host, dict(results))
    return results
