"""The timeline's hash chain: each event's SHA-256 over its content and the previous event's hash.

A complaint's events form one chain in (created_at, id) order. The first event's previous hash
is empty; the complaint row keeps the last hash (`timeline_head`), so the writer extends the
chain under the row lock without reading the events back. Anyone holding a copy of a
complaint's timeline and its head can check it against the record later
(`python manage.py verify_timeline`; docs/domain.md, "The record's integrity").
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def event_content(
    *,
    number: str,
    event: str,
    actor_id: int | None,
    actor_role: str,
    from_status: str,
    to_status: str,
    reason: str,
    data: Mapping[str, Any],
    created_at: datetime,
) -> bytes:
    """The bytes an event's hash covers: its fields as canonical JSON (sorted keys, UTC time)."""
    content = {
        "complaint": number,
        "event": event,
        "actor": actor_id,
        "role": actor_role,
        "from": from_status,
        "to": to_status,
        "reason": reason,
        "data": data,
        "at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous: str, content: bytes) -> str:
    """The hash of one link: SHA-256 of the previous hash, a newline, and the content."""
    return hashlib.sha256(previous.encode() + b"\n" + content).hexdigest()


@dataclass(frozen=True)
class Link:
    """One event as stored, for checking."""

    event_id: int
    kind: str
    created_at: datetime
    content: bytes
    stored_hash: str


@dataclass(frozen=True)
class Break:
    """A stored hash that is not what the chain gives at that event."""

    event_id: int
    kind: str
    created_at: datetime
    stored: str
    expected: str


def chain_breaks(links: Iterable[Link]) -> Iterator[Break]:
    """The broken links of one complaint's chain, in order.

    Each event is checked against the stored hash of the event before it, so a changed event is
    reported where it was changed; a changed hash is reported there and at the event after it.
    """
    previous = ""
    for link in links:
        expected = chain_hash(previous, link.content)
        if link.stored_hash != expected:
            yield Break(link.event_id, link.kind, link.created_at, link.stored_hash, expected)
        previous = link.stored_hash
