"""The complainant's own complaints against one business that read like a new one.

Only the complainant's complaints are compared, so the candidates are few (their latest, read
through complaint_mine_idx): PostgreSQL scores the text with pg_trgm's similarity(), SQLite with
the same measure in Python (complaints.duplicates). A filing against a listed business, the
common case, reads them by a statement prepared once per connection (core.prepared): building
the ORM's query cost more than running it (bench/README.md, "Eleventh round").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Q, QuerySet

from core.prepared import PreparedRead, prepared_reads

from ..duplicates import LikelyDuplicate, likely_duplicates, trigram_similarity
from ..models import Complaint

# The complainant's latest complaints against the business that are compared.
CANDIDATES = 50


def _listed_candidates_sql() -> str:
    # The table comes from the model; the complainant, business and text are parameters.
    return (
        f"SELECT number, similarity(description, $3), reference, amount FROM {Complaint._meta.db_table} "  # nosec B608
        "WHERE complainant_id = $1 AND duplicate_of_id IS NULL AND business_id = $2 "
        f"ORDER BY filed_at DESC LIMIT {CANDIDATES}"
    )


# What `_candidates` and the similarity give for a listed business, as one prepared statement.
LISTED_CANDIDATES = PreparedRead("redress_listed_candidates", _listed_candidates_sql)


def _candidates(*, complainant_id: int, business_id: int | None, business_name: str) -> QuerySet[Complaint]:
    mine = Complaint.objects.filter(complainant_id=complainant_id, duplicate_of__isnull=True)
    if business_id is not None:
        return mine.filter(business_id=business_id)
    return mine.filter(Q(business__isnull=True) & Q(business_name__iexact=business_name.strip()))


def duplicates_for_filing(
    *,
    complainant_id: int,
    business_id: int | None,
    business_name: str = "",
    description: str,
    reference: str = "",
    amount: Decimal | None = None,
    exclude_id: int | None = None,
) -> list[LikelyDuplicate]:
    """The complainant's complaints against the same business that read alike, most alike first."""
    if business_id is None and not business_name.strip():
        return []
    if business_id is not None and exclude_id is None and prepared_reads():
        listed = LISTED_CANDIDATES.rows(complainant_id, business_id, description)
        return likely_duplicates(listed, reference=reference, amount=amount)
    candidates = _candidates(complainant_id=complainant_id, business_id=business_id, business_name=business_name)
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    candidates = candidates.order_by("-filed_at")
    rows: list[tuple[str, float, str, Decimal | None]]
    if connection.vendor == "postgresql":
        rows = list(
            candidates.annotate(text_similarity=TrigramSimilarity("description", description)).values_list(
                "number", "text_similarity", "reference", "amount"
            )[:CANDIDATES]
        )
    else:
        rows = [
            (number, trigram_similarity(text, description), ref, amt)
            for number, text, ref, amt in candidates.values_list("number", "description", "reference", "amount")[
                :CANDIDATES
            ]
        ]
    return likely_duplicates(rows, reference=reference, amount=amount)


def possible_duplicates_of(complaint: Complaint) -> QuerySet[Complaint]:
    """The complaints this one read like when it was filed (its stored numbers), for staff."""
    return Complaint.objects.filter(number__in=complaint.possible_duplicates).order_by("-filed_at")


@dataclass(frozen=True)
class DuplicateLinks:
    """What a case page says about duplicates: the like complaints at filing, and the staff links."""

    possible: list[str] = field(default_factory=list)  # staff only: what it read like at filing
    duplicate_of: str = ""  # staff rejected it as a duplicate of this case
    duplicates: list[str] = field(default_factory=list)  # cases staff rejected as duplicates of it

    def __bool__(self) -> bool:
        return bool(self.possible or self.duplicate_of or self.duplicates)


def duplicate_links(complaint: Complaint, *, staff: bool, party: bool) -> DuplicateLinks:
    """The duplicate links of a case, for staff and the parties.

    Read with the case page's fetch (`duplicate_numbers`, complaints.selectors.visibility) or
    here: one query, two when it was rejected as a duplicate.
    """
    if not (staff or party):
        return DuplicateLinks()
    if hasattr(complaint, "duplicate_numbers"):
        duplicate_of, duplicates = complaint.duplicate_numbers
    else:
        duplicate_of = ""
        if complaint.duplicate_of_id is not None:
            duplicate_of = Complaint.objects.values_list("number", flat=True).get(pk=complaint.duplicate_of_id)
        duplicates = list(
            Complaint.objects.filter(duplicate_of_id=complaint.pk)
            .order_by("filed_at", "id")
            .values_list("number", flat=True)
        )
    possible = [number for number in complaint.possible_duplicates if number != duplicate_of] if staff else []
    return DuplicateLinks(possible=possible, duplicate_of=duplicate_of, duplicates=duplicates)
