"""The corpus of real-world reply shapes (inbound_corpus/*.eml) and what Redress keeps of each.

The files hold placeholders a test fills in: {{REPLY_ADDRESS}} (the reply address the message
went to), {{TAMPERED_REPLY_ADDRESS}} (that address with its signature altered) and {{CASE}}
(the case number). `expected.json` says, for each file, what becomes of it and the exact text
kept: `new_text` (after quotes and signatures are left out) and `stored` (on the case, after
the first line's "accept" or "reject:" is read).
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "inbound_corpus"
EXPECTED: dict[str, dict[str, str]] = json.loads((CORPUS / "expected.json").read_text())


def corpus_message(
    name: str, *, reply_address: str = "reply+1-1-x@reply.redress.test", case: str = "12345678"
) -> bytes:
    local, _, domain = reply_address.partition("@")
    tampered = f"{local[:-1]}{'a' if local[-1] != 'a' else 'b'}@{domain}"
    return (
        (CORPUS / name)
        .read_bytes()
        .replace(b"{{REPLY_ADDRESS}}", reply_address.encode())
        .replace(b"{{TAMPERED_REPLY_ADDRESS}}", tampered.encode())
        .replace(b"{{CASE}}", case.encode())
    )
