"""Read a raw RFC 5322 message into what the receiving service needs; pure, no database.

The standard library's `email` package parses; this module picks out the sender, the reply
addresses it was sent to, the body as text (plain, or HTML made plain), the attachments, and
the receiving MTA's verdict on DKIM and SPF (`Authentication-Results`, read with authres).
"""

from __future__ import annotations

import email
import email.policy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr

import authres

from core.input import NUL

from .text import html_to_text, unflow

# Headers that may name the address a message was delivered to, besides To and Cc.
_DELIVERY_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To")


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str  # as the sender declared it; the filing's checks read the content itself
    content: bytes


@dataclass(frozen=True)
class Parsed:
    message_id: str
    from_address: str  # lower-case addr-spec, "" when there is none
    subject: str
    recipients: tuple[str, ...]  # every address the message names as where it went
    return_path: str | None  # None when unknown; "" for the null return path of a bounce
    body: str  # the whole body as text, before quotes are left out
    attachments: tuple[Attachment, ...] = ()
    dkim: str = ""
    spf: str = ""
    headers: Message = field(default_factory=Message, compare=False, repr=False)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _headers(message: Message, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name, [])]
    except (ValueError, IndexError, TypeError):
        return []


def addresses(values: Iterable[str]) -> list[str]:
    """The addr-specs named in address headers, lower-case."""
    return [address.strip().lower() for _, address in getaddresses(list(values)) if "@" in address]


def message_key(message_id: str, raw: bytes) -> str:
    """The key a message is stored once under: its Message-ID, or a digest of it when it has none."""
    message_id = message_id.strip()
    if message_id:
        return message_id[:255]
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def auth_results(message: Message, authserv_ids: Sequence[str]) -> tuple[str, str]:
    """The DKIM and SPF results the receiving MTA recorded: from its own header, the topmost by default.

    Only a header with one of `authserv_ids` is trusted when they are given: a sender can write
    an `Authentication-Results` header too (RFC 8601, section 5).
    """
    for value in _headers(message, "Authentication-Results"):
        try:
            header = authres.AuthenticationResultsHeader.parse_value(" ".join(value.split()))
        except Exception:  # authres raises its own family and plain errors on malformed input
            continue
        if authserv_ids and str(header.authserv_id).lower() not in {i.lower() for i in authserv_ids}:
            continue
        results = {str(result.method).lower(): str(result.result).lower() for result in header.results}
        return results.get("dkim", ""), results.get("spf", "")
    return "", ""


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError, KeyError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        return html_to_text(content)
    if str(part.get_param("format", "", header="content-type")).lower() == "flowed":
        delsp = str(part.get_param("delsp", "", header="content-type")).lower() == "yes"
        content = unflow(content, delsp=delsp)
    return content


def _attachments(message: EmailMessage) -> tuple[Attachment, ...]:
    """Parts the sender attached: marked as attachments, or named outside an HTML body's images.

    Images a client puts inside its HTML (a signature's logo, in multipart/related) are not
    attachments. A forwarded message attached whole (message/rfc822) is one attachment.
    """
    body = message.get_body(preferencelist=("plain", "html"))
    found: list[Attachment] = []

    def visit(part: EmailMessage, parent: str) -> None:
        if part.get_content_type() == "message/rfc822" and part is not message:
            found.append(Attachment(part.get_filename() or "forwarded.eml", "message/rfc822", part.as_bytes()))
            return
        if part.is_multipart():
            for child in part.iter_parts():
                if isinstance(child, EmailMessage):
                    visit(child, part.get_content_type())
            return
        if part is body:
            return
        disposition = part.get_content_disposition()
        name = part.get_filename()
        if disposition == "attachment" or (name and parent != "multipart/related"):
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            found.append(Attachment((name or "attachment")[:255], part.get_content_type(), content))

    visit(message, "")
    return tuple(found)


def message_parse(raw: bytes, *, authserv_ids: Sequence[str] = ()) -> Parsed:
    """Read the parts of a raw message the receiving service decides on."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    recipients = addresses([*_headers(message, "To"), *_headers(message, "Cc")])
    for name in _DELIVERY_HEADERS:
        recipients += addresses(_headers(message, name))
    return_path: str | None = None
    if _headers(message, "Return-Path"):
        return_path = parseaddr(_header(message, "Return-Path"))[1].strip().lower()
    dkim, spf = auth_results(message, authserv_ids)
    body, attachments = "", tuple[Attachment, ...]()
    if message.get_content_type() != "multipart/report":  # a delivery or read report has no body of its own
        body, attachments = _body_text(message), _attachments(message)
    # A NUL means nothing in mail and PostgreSQL cannot store it in text: it is left out of every text read.
    return Parsed(
        message_id=message_key(_header(message, "Message-ID").replace(NUL, ""), raw),
        from_address=(addresses(_headers(message, "From")) or [""])[0].replace(NUL, ""),
        subject=_header(message, "Subject").replace(NUL, "")[:300],
        recipients=tuple(dict.fromkeys(recipient.replace(NUL, "") for recipient in recipients)),
        return_path=return_path.replace(NUL, "") if return_path is not None else None,
        body=body.replace(NUL, ""),
        attachments=tuple(
            Attachment(item.name.replace(NUL, ""), item.content_type, item.content) for item in attachments
        ),
        dkim=dkim,
        spf=spf,
        headers=message,
    )


def header_part(raw: bytes) -> bytes:
    """The header of a raw message (up to the first empty line): what is kept of one too large to store."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = raw.find(separator)
        if end != -1:
            return raw[: end + len(separator)]
    return raw[:65536]
