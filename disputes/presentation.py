"""How the case page words the exchange: each response, answer and piece of information as one entry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from complaints.models import Attachment

from .models import BusinessInformation, BusinessResponse, CustomerAnswer, Verdict

ANSWER_WORDS: dict[str, str] = {
    Verdict.ACCEPT: "accepted",
    Verdict.REJECT: "rejected the answer",
    Verdict.NONE: "added information",
}


@dataclass(frozen=True)
class ThreadEntry:
    """One item of the exchange as the parties read it."""

    from_business: bool
    author: str  # the business's name, or "The complainant" ("You" to the complainant)
    did: str  # "responded", "responded (late)", "added information", "accepted", ...
    created_at: datetime
    text: str
    attachments: tuple[Attachment, ...] = ()  # the files sent with it


def thread_entries(
    items: Iterable[BusinessResponse | CustomerAnswer | BusinessInformation],
    *,
    business_name: str,
    to_complainant: bool = False,
    files: Mapping[tuple[type, int], tuple[Attachment, ...]] | None = None,
) -> list[ThreadEntry]:
    """The exchange in the order given (see disputes.services.thread_for); the complainant reads "You".

    `files`: each entry's files by its model and id (disputes.selectors.entry_attachments).
    """
    complainant = "You" if to_complainant else "The complainant"
    files = files or {}
    entries: list[ThreadEntry] = []
    for item in items:
        sent = files.get((type(item), item.pk), ())
        if isinstance(item, BusinessResponse):
            did = "responded (late)" if item.is_late else "responded"
            entries.append(ThreadEntry(True, business_name, did, item.created_at, item.text, sent))
        elif isinstance(item, BusinessInformation):
            entries.append(ThreadEntry(True, business_name, "added information", item.created_at, item.text, sent))
        else:
            did = ANSWER_WORDS.get(item.verdict, ANSWER_WORDS[Verdict.NONE])
            entries.append(ThreadEntry(False, complainant, did, item.created_at, item.text, sent))
    return entries
