"""How alike two complaints by one complainant read: a planner, it reads and writes nothing.

The text measure is trigram similarity as pg_trgm computes it (`similarity()`): each word,
lower-cased and padded with two spaces before and one after, gives its three-letter pieces;
the similarity is the share of pieces the two texts have in common. PostgreSQL computes it in
the query (complaints.selectors.duplicates); `trigram_similarity` is the same measure in Python,
for the embedded default on SQLite. A shared order reference and a shared amount make the match
stronger. The threshold is measured on a labelled set (docs/decisions/0025-duplicates-at-filing.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# A complaint scoring at least this is listed as a likely duplicate (docs/decisions/0025).
DUPLICATE_THRESHOLD = 0.4
# What a shared reference and a shared amount add to the text's similarity.
REFERENCE_WEIGHT = 0.3
AMOUNT_WEIGHT = 0.1
# At most this many likely duplicates are listed, most alike first.
DUPLICATES_LISTED = 5

_WORD = re.compile(r"[^\W_]+")


def trigrams(text: str) -> set[str]:
    """The trigrams of a text as pg_trgm forms them."""
    found: set[str] = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(a, b): shared trigrams over all trigrams of both."""
    first, second = trigrams(a), trigrams(b)
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _same_reference(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return bool(a) and a == b


def duplicate_score(
    *,
    text_similarity: float,
    reference: str,
    other_reference: str,
    amount: Decimal | None,
    other_amount: Decimal | None,
) -> float:
    """How likely two complaints against one business are the same one, from 0 to 1."""
    score = text_similarity
    if _same_reference(reference, other_reference):
        score += REFERENCE_WEIGHT
    if amount is not None and other_amount is not None and amount == other_amount:
        score += AMOUNT_WEIGHT
    return min(score, 1.0)


@dataclass(frozen=True)
class LikelyDuplicate:
    number: str
    score: float


def likely_duplicates(
    candidates: list[tuple[str, float, str, Decimal | None]], *, reference: str, amount: Decimal | None
) -> list[LikelyDuplicate]:
    """The candidates (number, text similarity, reference, amount) that score as duplicates, most alike first."""
    scored = [
        LikelyDuplicate(
            number,
            round(
                duplicate_score(
                    text_similarity=similarity,
                    reference=reference,
                    other_reference=other_reference,
                    amount=amount,
                    other_amount=other_amount,
                ),
                3,
            ),
        )
        for number, similarity, other_reference, other_amount in candidates
    ]
    found = [item for item in scored if item.score >= DUPLICATE_THRESHOLD]
    found.sort(key=lambda item: (-item.score, item.number))
    return found[:DUPLICATES_LISTED]
