"""How well each quote stripper keeps only the new text of the replies in the inbound corpus.

    .venv/bin/python bench/quote_stripping.py

Each candidate gets the body of every reply in inbound/tests/inbound_corpus/ that carries text
(decoded, HTML made plain, format=flowed joined, as Redress reads it) and is scored by whether
its result equals, exactly, the text written out by hand in expected.json ("new_text"). No
database is needed. docs/decisions/0012-quote-stripping.md records the figures.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from email_reply_parser import EmailReplyParser as GitHubParser
from mailparser_reply import EmailReplyParser

from inbound import text
from inbound.message import message_parse
from inbound.tests.corpus import EXPECTED, corpus_message


def _mpr_latest(body: str) -> str:
    return EmailReplyParser(languages=["en"]).parse_reply(body) or ""


def _mpr_body(body: str) -> str:
    message = EmailReplyParser(languages=["en"]).read(body)
    return message.replies[0].body if message.replies else ""


def _with_redress_wrapper(strip: Callable[[str], str]) -> Callable[[str], str]:
    """Redress's wrapper (forwards kept, `>` lines dropped, blank runs tidied) around another stripper."""

    def run(body: str) -> str:
        saved = text._latest_reply
        text._latest_reply = strip  # type: ignore[assignment]
        try:
            return text.new_text(body)
        finally:
            text._latest_reply = saved  # type: ignore[assignment]

    return run


CANDIDATES: dict[str, Callable[[str], str]] = {
    "email-reply-parser 0.5.12, parse_reply": lambda body: GitHubParser.parse_reply(body).strip(),
    "mail-parser-reply 1.36, latest_reply": lambda body: _mpr_latest(body).strip(),
    "mail-parser-reply 1.36, first reply's body": lambda body: _mpr_body(body).strip(),
    "email-reply-parser in Redress's wrapper": _with_redress_wrapper(lambda body: GitHubParser.parse_reply(body)),
    "mail-parser-reply in Redress's wrapper (shipped)": text.new_text,
}


def main() -> None:
    names = sorted(name for name, case in EXPECTED.items() if case["status"] == "accepted")
    bodies = {name: message_parse(corpus_message(name)).body for name in names}
    print(f"{len(names)} replies with text in the corpus\n")
    for label, strip in CANDIDATES.items():
        misses = [name for name in names if strip(bodies[name]) != EXPECTED[name]["new_text"]]
        print(f"{len(names) - len(misses)}/{len(names)} exact  {label}")
        for name in misses:
            print(f"    differs: {name}")


if __name__ == "__main__":
    main()
