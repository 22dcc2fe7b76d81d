"""The new text of a reply: HTML made plain, quoted text, signatures and phone footers left out.

mail-parser-reply finds where a reply's quote begins (the "On ... wrote:" line of Gmail and
Apple Mail, Outlook's "From: / Sent:" block, "-----Original Message-----") and its signature
(`-- `, "Kind regards,", "Sent from my iPhone"); `docs/decisions/0012-quote-stripping.md` says
why it was chosen and what it gets right on the corpus. Around it, this module:

- turns HTML into text with inscriptis, after removing the quote containers that mail clients
  mark (`blockquote`, Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg` and what follows it);
- unwraps `format=flowed` text (RFC 3676), so a paragraph is one line again;
- drops lines quoted with `>` that are left over (bottom-posting, inline answers);
- keeps a forwarded message whole below the sender's own words: it is what they chose to send.

Everything here is pure: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import lxml.html
from inscriptis import get_text
from inscriptis.model.config import ParserConfig
from mailparser_reply.parser import EmailMessage

# Elements that hold quoted mail or a signature in the HTML of common clients.
_QUOTE_XPATHS = (
    "//blockquote",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_quote ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature_prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-cite-prefix ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' yahoo_quoted ')]",
    # Outlook on the web and new Outlook: the reply header block and everything after it.
    "//*[@id='divRplyFwdMsg']/following-sibling::*",
    "//*[@id='divRplyFwdMsg']",
    "//*[@id='appendonsend']/following-sibling::*",
    # Outlook for Windows: the bordered "From: / Sent:" block and everything after it.
    "//div[contains(translate(@style, ' ', ''), 'border-top:solid#E1E1E1')]/following-sibling::*",
    "//div[contains(translate(@style, ' ', ''), 'border-top:solid#E1E1E1')]",
    "//div[contains(translate(@style, ' ', ''), 'border-top:solid#B5C4DF')]/following-sibling::*",
    "//div[contains(translate(@style, ' ', ''), 'border-top:solid#B5C4DF')]",
)
_FORWARD_MARKER = re.compile(
    r"^[ \t]*(?:-{5,}[ \t]*Forwarded message[ \t]*-{5,}|Begin forwarded message:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(html: str) -> str:
    """The text of an HTML body without the quoted mail and signature its client marked."""
    if not html.strip():
        return ""
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for xpath in _QUOTE_XPATHS:
        for element in tree.xpath(xpath):
            if element.getparent() is not None:
                element.drop_tree()
    for element in tree.xpath("//style|//script|//head"):
        element.drop_tree()
    text = get_text(lxml.html.tostring(tree, encoding="unicode"), ParserConfig(display_links=False))
    return _tidy(text)


def unflow(text: str, *, delsp: bool = False) -> str:
    """Join the soft-broken lines of `format=flowed` text (RFC 3676): a line ending in a space goes on."""
    out: list[str] = []
    quote: str = ""
    paragraph: str | None = None  # a flowed paragraph still open, at depth `quote`

    def emit(depth: str, content: str) -> None:
        out.append(f"{depth} {content}" if depth else content)

    for line in text.replace("\r\n", "\n").split("\n"):
        depth = line[: len(line) - len(line.lstrip(">"))]
        body = line[len(depth) :]
        body = body[1:] if body.startswith(" ") else body  # space-stuffing
        if paragraph is not None and depth != quote:
            emit(quote, paragraph)
            paragraph = None
        content = body if paragraph is None else paragraph + body
        quote = depth
        if content.endswith(" ") and body != "-- ":  # the signature separator is never flowed
            paragraph = content[:-1] if delsp else content
        else:
            emit(depth, content)
            paragraph = None
    if paragraph is not None:
        emit(quote, paragraph)
    return "\n".join(out)


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _is_signature(block: str) -> bool:
    """Whether what mail-parser-reply took for a signature reads like one.

    It cuts at a line that opens with a closing ("Thanks,", "Best regards") to the end of the
    reply, so "Thanks, but the box was crushed" would lose the rest of the message. A signature
    here opens with a short line (at most 4 words: "Kind regards,", "-- ", "Sent from my iPhone")
    and has at most 8 lines.
    """
    lines = [line for line in block.strip().split("\n") if line.strip()]
    return bool(lines) and len(lines[0].split()) <= 4 and len(lines) <= 8


def _latest_reply(text: str) -> str:
    """What the sender wrote before the quote and signature, by mail-parser-reply."""
    message = EmailMessage(text=text, languages=["en"], keep_hyphen_lists=True).read()
    if not message.replies:
        return ""
    first = message.replies[0]
    # A message that opens with a quote header has no text of its own above it: the parser then
    # hands back the quoted message as the first reply.
    if first.headers and message.text.lstrip().startswith(first.headers):
        return ""
    body = first.full_body
    for disclaimer in first.disclaimers:
        body = body.replace(disclaimer, "")
    if first.signatures and _is_signature(first.signatures):
        body = body.replace(first.signatures, "")
    return body


def new_text(text: str) -> str:
    """The sender's own words in a plain-text reply (already decoded and unflowed)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    forwarded = ""
    marker = _FORWARD_MARKER.search(text)
    if marker:
        text, forwarded = text[: marker.start()], text[marker.start() :]
    own = _latest_reply(text) if text.strip() else ""
    own = "\n".join(line for line in own.split("\n") if not line.lstrip().startswith(">"))
    own = _tidy(own)
    if forwarded:
        return _tidy(f"{own}\n\n{forwarded}")
    return own


@dataclass(frozen=True)
class Command:
    """What the first line of a complainant's reply asks for: `accept`, `reject` or nothing."""

    verdict: str  # "accept", "reject" or "none"
    text: str  # the rest of the message (for a rejection: the reason)


_ACCEPT = re.compile(r"^accept[.!]?$", re.IGNORECASE)
_REJECT = re.compile(r"^reject[ \t]*:[ \t]*(?P<reason>.*)$", re.IGNORECASE)


def first_line_command(text: str) -> Command:
    """Read "accept" or "reject: <reason>" on the first line of the new text (docs/domain.md).

    "accept" is the whole line (any case, an optional full stop or exclamation mark); "reject:"
    starts the line and the reason follows it, on that line and the ones below. Anything else is
    information, and the whole text stays as written.
    """
    first, _, rest = text.strip().partition("\n")
    first = first.strip()
    if _ACCEPT.match(first):
        return Command("accept", rest.strip())
    rejected = _REJECT.match(first)
    if rejected:
        reason = rejected.group("reason").strip()
        return Command("reject", _tidy(f"{reason}\n{rest}") if reason else rest.strip())
    return Command("none", text.strip())
