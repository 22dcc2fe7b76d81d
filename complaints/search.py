"""Search across businesses: every published complaint, found by its published text or its business's name.

Read by the public search page and `GET /api/v1/complaints/search/` (docs/domain.md, "Search";
docs/architecture.md, "Search across businesses").

What is searched: the search index (`Complaint.search_vector`), which publication fills from the
consented, masked text only (`publication.search_document`), and the names of listed businesses.
The original text, the complainant and the contact details are never indexed, so never found.

How it stays fast at a million complaints: the matches are ranked only among a bounded candidate
set, the newest `CANDIDATES` matches, so the rank costs the same whether a word matches ten
complaints or half of them; and the newest matches are looked for in widening windows of filing
dates (`candidate_ids`), so a common word reads only its recent matches, not all of them. Pages
are bounded: `CANDIDATES // size` at most.

On PostgreSQL the text match is full-text search (websearch syntax, English stemming) ranked by
`ts_rank`; elsewhere (the embedded SQLite default) it is `icontains` on the masked description,
newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.models import Business
from core.errors import InvalidInput

from .issues import ISSUE_LABELS
from .models import Complaint, ComplaintType, Status
from .open_data import Filters, filters_from, published_open_data
from .publication import utc_day

CANDIDATES = 500  # the newest matches that are ranked; pages reach no further
DEFAULT_SIZE = 20
MAX_SIZE = 100
MAX_QUERY = 200
EXCERPT = 300  # characters of the masked text shown with a result
NAME_BONUS = 1.0  # added to the rank when the business's name matches: above any text-only rank
NAMED_LIMIT = 50  # businesses whose name matches, at most
WINDOWS = (31, 366)  # days looked back before the whole record (`candidate_ids`)

# The search's parameters and the open data's names for them (`open_data.filters_from` checks them).
PARAMETERS = {
    "type": "product",
    "issue": "issue",
    "status": "status",
    "business": "business",
    "date_received_min": "date_received_min",
    "date_received_max": "date_received_max",
}

COLUMNS = (
    "number",
    "filed_at",
    "closed_at",
    "business__name",
    "business__slug",
    "type",
    "issue",
    "status",
    "publish_consent",
    "masked_at",
    "description_masked",
)


@dataclass(frozen=True)
class Search:
    """A checked search: the words, the filters, and which page."""

    q: str
    filters: Filters
    page: int = 1
    size: int = DEFAULT_SIZE


@dataclass(frozen=True)
class SearchPage:
    """One page of ranked results; `more` says matches exist beyond the ranked candidates."""

    results: list[dict[str, Any]]
    count: int  # matches among the candidates (at most CANDIDATES)
    more: bool
    page: int
    pages: int
    size: int

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def first(self) -> int:
        """The place of this page's first result in the whole list, from 1."""
        return (self.page - 1) * self.size + 1


def _whole_number(params: Mapping[str, Any], name: str, default: int, high: int, errors: dict[str, list[str]]) -> int:
    value = str(params.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= high:
        errors[name] = [f"Give a whole number from 1 to {high}."]
        return default
    return int(value)


def search_from(params: Mapping[str, Any]) -> Search:
    """Check the query parameters; bad ones raise InvalidInput with a message per field."""
    errors: dict[str, list[str]] = {}
    q = str(params.get("q") or "").strip()
    if not q:
        errors["q"] = ["Give a word or two to search for."]
    elif len(q) > MAX_QUERY:
        errors["q"] = [f"Keep the search to {MAX_QUERY} characters."]
    elif "\x00" in q:
        errors["q"] = ["The search cannot contain NUL characters."]
    size = _whole_number(params, "size", DEFAULT_SIZE, MAX_SIZE, errors)
    page = _whole_number(params, "page", 1, max(1, CANDIDATES // size), errors)
    getlist = getattr(params, "getlist", None)
    given: dict[str, Any] = {}
    for name, open_name in PARAMETERS.items():
        values = getlist(name) if getlist else ([params[name]] if name in params else [])
        values = [str(value) for value in values if str(value).strip()]
        if values:
            given[open_name] = ",".join(values)
    filters = Filters()
    try:
        filters = filters_from(given)
    except InvalidInput as exc:
        by_open_name = {open_name: name for name, open_name in PARAMETERS.items()}
        for field, problems in exc.field_errors.items():
            message = [problem.replace("product (complaint type)", "type") for problem in problems]
            errors[by_open_name.get(field, field)] = message
    if errors:
        raise InvalidInput("Check the search.", field_errors=errors)
    return Search(q=q, filters=filters, page=page, size=size)


def named_businesses(q: str) -> list[int]:
    """The listed businesses whose name holds the search as written (case aside): at most NAMED_LIMIT."""
    named = Business.objects.filter(is_listed=True, name__icontains=q).order_by("id")
    return list(named.values_list("id", flat=True)[:NAMED_LIMIT])


def _matches(
    search: Search, named: list[int], *, filed_since: datetime | None = None
) -> tuple[QuerySet[Complaint], SearchQuery | None]:
    """The published complaints the search finds (unordered; filed since `filed_since` if given), and the text query."""
    published = published_open_data(search.filters, filed_since=filed_since)
    text = Q(publish_consent=True, masked_at__isnull=False)
    query: SearchQuery | None = None
    if connection.vendor == "postgresql":
        query = SearchQuery(search.q, config="english", search_type="websearch")
        text &= Q(search_vector=query)
    else:
        text &= Q(description_masked__icontains=search.q)
    found = text | Q(business_id__in=named) if named else text
    return published.filter(found), query


def candidate_ids(
    matches_since: Callable[[datetime | None], QuerySet[Complaint]], now: datetime | None = None
) -> list[int]:
    """The newest CANDIDATES + 1 matches' ids, newest filed first, looking back in widening windows.

    `matches_since(moment)` is the matches filed since that moment (None: the whole record). A
    common word matches a large part of the record: its newest matches are all recent, and the
    first window (filed in the last WINDOWS[0] days) finds them without reading the older ones.
    A rarer word reads further back, through fewer matches. One query per window tried.
    """
    now = now or timezone.now()
    for days in WINDOWS:
        newest = matches_since(now - timedelta(days=days)).order_by("-filed_at", "-id")
        ids = list(newest.values_list("id", flat=True)[: CANDIDATES + 1])
        if len(ids) > CANDIDATES:
            return ids
    return list(matches_since(None).order_by("-filed_at", "-id").values_list("id", flat=True)[: CANDIDATES + 1])


def complaints_search(search: Search) -> SearchPage:
    """One page of the published complaints the search finds, best first.

    Rank: `ts_rank` of the text match, plus NAME_BONUS where the business's name matches; ties
    newest filed first. Only the newest CANDIDATES matches are ranked (see the module's note).
    Queries: the named businesses, one per window tried (`candidate_ids`), and the page.
    """
    named = named_businesses(search.q)
    query = _matches(search, named)[1]
    ids = candidate_ids(lambda since: _matches(search, named, filed_since=since)[0])
    more = len(ids) > CANDIDATES
    ids = ids[:CANDIDATES]
    count = len(ids)
    pages = max(1, -(-count // search.size))
    rows: list[dict[str, Any]] = []
    if ids:
        bonus = (
            Case(When(business_id__in=named, then=Value(NAME_BONUS)), default=Value(0.0), output_field=FloatField())
            if named
            else Value(0.0, output_field=FloatField())
        )
        rank = SearchRank(F("search_vector"), query) + bonus if query is not None else bonus
        start = (search.page - 1) * search.size
        rows = list(
            Complaint.objects.filter(id__in=ids)
            .annotate(rank=rank)
            .order_by("-rank", "-filed_at", "-id")
            .values(*COLUMNS, "rank")[start : start + search.size]
        )
    return SearchPage(
        results=[search_result(row) for row in rows],
        count=count,
        more=more,
        page=search.page,
        pages=pages,
        size=search.size,
    )


def excerpt_of(text: str, limit: int = EXCERPT) -> str:
    """The start of the masked text, cut at a word within `limit` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def search_result(row: Mapping[str, Any]) -> dict[str, Any]:
    """What a result shows: published fields only, and where its entry is on the business's profile."""
    narrative = bool(row["publish_consent"] and row["masked_at"] is not None and row["description_masked"])
    number, slug = row["number"], row["business__slug"]
    type_ = row["type"]
    return {
        "number": number,
        "business": slug,
        "company": row["business__name"],
        "type": type_,
        "type_label": str(ComplaintType(type_).label) if type_ in ComplaintType.values else type_,
        "issue": row["issue"],
        "issue_label": ISSUE_LABELS.get(row["issue"], ""),
        "status": row["status"],
        "status_label": str(Status(row["status"]).label),
        "date_received": utc_day(row["filed_at"]),
        "date_closed": utc_day(row["closed_at"]) if row["closed_at"] else None,
        "has_narrative": narrative,
        "excerpt": excerpt_of(row["description_masked"]) if narrative else "",
        "rank": round(float(row["rank"]), 4),
        "url": entry_path(slug, number),
    }


def entry_path(slug: str, number: str) -> str:
    """The complaint's entry on its business's profile (the profile shows it alone with `?complaint=`)."""
    return f"{reverse('complaints:business-profile', args=[slug])}?complaint={number}#complaint-{number}"


def page_numbers(page: SearchPage) -> Sequence[int]:
    """The page numbers a pager shows: all of them (there are at most CANDIDATES // size)."""
    return range(1, page.pages + 1)
