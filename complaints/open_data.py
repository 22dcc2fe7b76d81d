"""The open data: every published complaint as rows of published fields (docs/open-data.md).

A selector and a row builder, read by the open-data API (JSON pages, the streamed CSV, monthly
trends) and the public Data page. Rows are read with `values()` in keyset order, newest filed
first, so a page and the whole export cost the same per row and hold one chunk in memory.

Only published fields leave here: the masked text where the complainant consented, the business's
name, the consumer's country and region. Never the original text, the complainant, the business's
contact details the complainant gave, the references, or the amounts in dispute.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.errors import InvalidInput

from .closing import summary_of
from .figures import MonthCount
from .issues import COUNTRIES, ISSUE_LABELS, ResponseOutcome
from .models import Complaint, ComplaintEvent, ComplaintType, Status
from .publication import months_before, publication_cutoff, utc_day
from .workflow import PUBLIC_CLOSED_STATES

DEFAULT_SIZE = 25
MAX_SIZE = 1_000
CHUNK = 2_000  # rows per query of the streamed export

# The published fields, in the order of the CSV's columns. Names follow the CFPB Consumer
# Complaint Database API where the concept matches; Redress's own keep their names (docs/open-data.md).
FIELDS = (
    "complaint_id",
    "date_received",
    "date_sent_to_company",
    "date_closed",
    "company",
    "business",
    "product",
    "type",
    "issue",
    "issue_code",
    "sub_issue",
    "company_response",
    "relief_amount",
    "company_public_response",
    "timely",
    "consumer_disputed",
    "consumer_consent_provided",
    "has_narrative",
    "complaint_what_happened",
    "state",
    "country",
    "submitted_via",
    "tags",
    "status",
    "closing_summary",
)

# What each field means, for the Data page and docs/open-data.md.
FIELD_DEFINITIONS: dict[str, str] = {
    "complaint_id": "The case number, eight digits.",
    "date_received": "The day the complaint was filed (UTC).",
    "date_sent_to_company": "The day Redress first sent it to the business; empty if it never was.",
    "date_closed": "The day it closed (UTC).",
    "company": "The business's name in the directory.",
    "business": "The business's slug: its profile is /businesses/<slug>/.",
    "product": "The complaint type, in words (such as Account Access or Suspension).",
    "type": "The complaint type's value (such as account_suspension).",
    "issue": "What went wrong, under the type, in words; empty if the consumer gave none.",
    "issue_code": "The issue's value (such as suspended_without_reason).",
    "sub_issue": "Always empty: Redress has no finer level than the issue.",
    "company_response": "The outcome the business gave with its latest response: Closed with monetary relief, "
    "Closed with non-monetary relief, Closed with explanation, or In progress; empty if none was given.",
    "relief_amount": "The amount of monetary relief the business reported.",
    "company_public_response": "The business's public response after closing, masked; only where the text is "
    "published.",
    "timely": "Yes if the business responded by its deadline.",
    "consumer_disputed": "Yes if the complainant rejected a response (the business responded again) or the "
    "complaint closed as Unresolved.",
    "consumer_consent_provided": "Whether the complainant consented to publishing the text.",
    "has_narrative": "Whether the complaint's text is published (consented and masked).",
    "complaint_what_happened": "The complaint's text with names, contact details and long numbers masked; "
    "empty without consent.",
    "state": "The consumer's state or region, as they gave it. Nothing finer is published.",
    "country": "The consumer's country, an ISO 3166-1 alpha-2 code.",
    "submitted_via": "How the complaint came: Web (the pages or the API).",
    "tags": "Always empty for now.",
    "status": "How it closed: resolved, answered, unanswered, unresolved or unpursuable.",
    "closing_summary": "Why it closed, in one sentence.",
}

# What a row is built from: published columns only.
COLUMNS = (
    "id",
    "number",
    "filed_at",
    "forwarded_at",
    "closed_at",
    "business__name",
    "business__slug",
    "type",
    "issue",
    "business_outcome",
    "relief_amount",
    "public_response_masked",
    "public_response_at",
    "first_response_at",
    "late_response",
    "response_count",
    "publish_consent",
    "masked_at",
    "description_masked",
    "region",
    "country",
    "status",
    "reject_reason",
)

TREND_DIMENSIONS = ("type", "issue", "status", "business")
FORMATS = ("json", "csv")
TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")


@dataclass(frozen=True)
class Filters:
    """The open data's filters, checked (`filters_from`)."""

    search_term: str = ""
    date_received_min: date | None = None
    date_received_max: date | None = None  # half-open: before this day
    company: tuple[str, ...] = ()
    business: tuple[str, ...] = ()
    product: tuple[str, ...] = ()
    issue: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    has_narrative: bool | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after the row filed at `filed_at` with id `id` (newest first)."""

    filed_at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.filed_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            moment, pk = raw.split("|")
            filed_at = datetime.fromisoformat(moment)
            if filed_at.tzinfo is None:
                raise ValueError
            return cls(filed_at, int(pk))
        except (ValueError, UnicodeDecodeError, binascii.Error) as exc:
            raise ValueError("not a cursor") from exc


def _values(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a parameter: repeated (`?issue=a&issue=b`) or comma-separated."""
    getlist = getattr(params, "getlist", None)
    raw = getlist(name) if getlist else ([params[name]] if name in params else [])
    return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]


def _by_value_or_label(values: list[str], labels: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Machine values for what was given as values or labels; and what matched neither."""
    by_label = {label.casefold(): value for value, label in labels.items()}
    known, unknown = [], []
    for value in values:
        if value in labels:
            known.append(value)
        elif value.casefold() in by_label:
            known.append(by_label[value.casefold()])
        else:
            unknown.append(value)
    return known, unknown


def _day(params: Mapping[str, Any], name: str, errors: dict[str, list[str]]) -> date | None:
    value = str(params.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.setdefault(name, []).append("Give a date as YYYY-MM-DD.")
        return None


def filters_from(params: Mapping[str, Any]) -> Filters:
    """Check the query parameters; unknown values raise InvalidInput with a message per field."""
    errors: dict[str, list[str]] = {}
    products, unknown = _by_value_or_label(_values(params, "product"), dict(ComplaintType.choices))
    if unknown:
        errors["product"] = [f"Unknown product (complaint type): {', '.join(unknown)}."]
    issues, unknown = _by_value_or_label(_values(params, "issue"), ISSUE_LABELS)
    if unknown:
        errors["issue"] = [f"Unknown issue: {', '.join(unknown)}."]
    statuses = _values(params, "status")
    if bad := [value for value in statuses if value not in PUBLIC_CLOSED_STATES]:
        errors["status"] = [f"Not a published status: {', '.join(bad)}."]
    countries = [value.upper() for value in _values(params, "country")]
    if bad := [value for value in countries if value not in COUNTRIES]:
        errors["country"] = [f"Not an ISO 3166-1 alpha-2 country code: {', '.join(bad)}."]
    narrative_word = str(params.get("has_narrative") or "").strip().lower()
    has_narrative = None
    if narrative_word in TRUE_WORDS:
        has_narrative = True
    elif narrative_word in FALSE_WORDS:
        has_narrative = False
    elif narrative_word:
        errors["has_narrative"] = ["Give true or false."]
    low = _day(params, "date_received_min", errors)
    high = _day(params, "date_received_max", errors)
    if low and high and high <= low:
        errors.setdefault("date_received_max", []).append(
            "Give a day after date_received_min (the range is half-open)."
        )
    search_term = str(params.get("search_term") or "").strip()
    if len(search_term) > 200:
        errors["search_term"] = ["Keep the search to 200 characters."]
    if "\x00" in search_term:
        errors["search_term"] = ["The search cannot contain NUL characters."]
    if errors:
        raise InvalidInput("Check the filters.", field_errors=errors)
    return Filters(
        search_term=search_term,
        date_received_min=low,
        date_received_max=high,
        company=tuple(_values(params, "company")),
        business=tuple(_values(params, "business")),
        product=tuple(products),
        issue=tuple(issues),
        state=tuple(_values(params, "state")),
        country=tuple(countries),
        status=tuple(statuses),
        has_narrative=has_narrative,
    )


def size_from(params: Mapping[str, Any]) -> int:
    value = str(params.get("size") or "").strip()
    if not value:
        return DEFAULT_SIZE
    if not value.isdigit() or not 1 <= int(value) <= MAX_SIZE:
        raise InvalidInput("Bad size.", field_errors={"size": [f"Give a whole number from 1 to {MAX_SIZE:,}."]})
    return int(value)


def cursor_from(params: Mapping[str, Any]) -> Cursor | None:
    value = str(params.get("frm") or "").strip()
    if not value:
        return None
    try:
        return Cursor.decode(value)
    except ValueError as exc:
        message = "Give the `frm` of the previous page as it came."
        raise InvalidInput("Bad cursor.", field_errors={"frm": [message]}) from exc


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def published_open_data(filters: Filters, *, filed_since: datetime | None = None) -> QuerySet[Complaint]:
    """Every published complaint of a listed business that matches `filters` (no order yet).

    `filed_since` keeps only those filed at or after it. When it is inside the publication
    window, the closing-date bound is left out: a complaint closes after it is filed, so one
    filed since then closed since the cutoff too, and PostgreSQL need not read the closing-date
    index (about 590,000 entries at 1,000,000 complaints) to learn nothing.
    """
    cutoff = publication_cutoff()
    qs = Complaint.objects.filter(status__in=PUBLIC_CLOSED_STATES, business__is_listed=True)
    if filed_since is None or filed_since < cutoff:
        qs = qs.filter(closed_at__gte=cutoff)
    if filed_since is not None:
        qs = qs.filter(filed_at__gte=filed_since)
    f = filters
    if f.date_received_min:
        qs = qs.filter(filed_at__gte=_start_of(f.date_received_min))
    if f.date_received_max:
        qs = qs.filter(filed_at__lt=_start_of(f.date_received_max))
    if f.company:
        names = Q()
        for name in f.company:
            names |= Q(business__name__iexact=name)
        qs = qs.filter(names)
    if f.business:
        qs = qs.filter(business__slug__in=f.business)
    if f.product:
        qs = qs.filter(type__in=f.product)
    if f.issue:
        qs = qs.filter(issue__in=f.issue)
    if f.state:
        regions = Q()
        for region in f.state:
            regions |= Q(region__iexact=region)
        qs = qs.filter(regions)
    if f.country:
        qs = qs.filter(country__in=f.country)
    if f.status:
        qs = qs.filter(status__in=f.status)
    narrated = Q(publish_consent=True, masked_at__isnull=False) & ~Q(description_masked="")
    if f.has_narrative is True:
        qs = qs.filter(narrated)
    elif f.has_narrative is False:
        qs = qs.exclude(narrated)
    if f.search_term:
        qs = qs.filter(publish_consent=True, masked_at__isnull=False)
        if connection.vendor == "postgresql":
            qs = qs.filter(search_vector=SearchQuery(f.search_term, config="english", search_type="websearch"))
        else:
            qs = qs.filter(description_masked__icontains=f.search_term)
    return qs


def _after(qs: QuerySet[Complaint], cursor: Cursor | None) -> QuerySet[Complaint]:
    if cursor is not None:
        qs = qs.filter(Q(filed_at__lt=cursor.filed_at) | Q(filed_at=cursor.filed_at, id__lt=cursor.id))
    return qs.order_by("-filed_at", "-id")


def _closing_summaries(rows: Sequence[Mapping[str, Any]]) -> dict[int, str]:
    """Why each complaint closed, in one sentence: one query for the rows' moves."""
    moves: dict[int, list[ComplaintEvent]] = {row["id"]: [] for row in rows}
    if not moves:
        return {}
    events = (
        ComplaintEvent.objects.filter(complaint_id__in=moves, to_status=F("complaint__status"))
        .exclude(from_status=F("to_status"))
        .only("complaint_id", "event", "from_status", "to_status", "reason", "created_at")
        .order_by("complaint_id", "created_at", "id")
    )
    for event in events:
        moves[event.complaint_id].append(event)
    summaries = {}
    for row in rows:
        view = _RowView(row)
        summaries[row["id"]] = summary_of(view, moves[row["id"]], row["business__name"])
    return summaries


class _RowView:
    """What `closing.summary_of` reads of a complaint, from a row of values."""

    def __init__(self, row: Mapping[str, Any]):
        self.status = row["status"]
        self.reject_reason = row["reject_reason"]

    def get_reject_reason_display(self) -> str:
        return self.reject_reason


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def open_data_row(row: Mapping[str, Any], closing: str = "") -> dict[str, Any]:
    """The published fields of one complaint, from its `COLUMNS` values."""
    narrative = row["publish_consent"] and row["masked_at"] is not None and bool(row["description_masked"])
    outcome = row["business_outcome"]
    return {
        "complaint_id": row["number"],
        "date_received": utc_day(row["filed_at"]).isoformat(),
        "date_sent_to_company": utc_day(row["forwarded_at"]).isoformat() if row["forwarded_at"] else None,
        "date_closed": utc_day(row["closed_at"]).isoformat() if row["closed_at"] else None,
        "company": row["business__name"],
        "business": row["business__slug"],
        "product": str(ComplaintType(row["type"]).label) if row["type"] in ComplaintType.values else row["type"],
        "type": row["type"],
        "issue": ISSUE_LABELS.get(row["issue"], ""),
        "issue_code": row["issue"],
        "sub_issue": "",
        "company_response": str(ResponseOutcome(outcome).label) if outcome in ResponseOutcome.values else "",
        "relief_amount": str(row["relief_amount"]) if row["relief_amount"] is not None else None,
        "company_public_response": row["public_response_masked"] if narrative and row["public_response_at"] else "",
        "timely": _yes_no(row["first_response_at"] is not None and not row["late_response"]),
        "consumer_disputed": _yes_no(row["response_count"] > 1 or row["status"] == Status.UNRESOLVED),
        "consumer_consent_provided": "Consent provided" if row["publish_consent"] else "Consent not provided",
        "has_narrative": narrative,
        "complaint_what_happened": row["description_masked"] if narrative else "",
        "state": row["region"],
        "country": row["country"],
        "submitted_via": "Web",
        "tags": [],
        "status": row["status"],
        "closing_summary": closing,
    }


def open_data_page(filters: Filters, *, size: int, cursor: Cursor | None) -> tuple[list[dict[str, Any]], Cursor | None]:
    """One page of rows after `cursor`, and the cursor of the next page (None on the last)."""
    rows = list(_after(published_open_data(filters), cursor).values(*COLUMNS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    summaries = _closing_summaries(rows)
    following = Cursor(rows[-1]["filed_at"], rows[-1]["id"]) if more and rows else None
    return [open_data_row(row, summaries[row["id"]]) for row in rows], following


def open_data_rows(filters: Filters, *, chunk: int = CHUNK) -> Iterator[dict[str, Any]]:
    """Every matching row, newest first, read `chunk` rows per query: memory stays flat."""
    cursor = None
    base = published_open_data(filters)
    while True:
        rows = list(_after(base, cursor).values(*COLUMNS)[:chunk])
        if not rows:
            return
        summaries = _closing_summaries(rows)
        for row in rows:
            yield open_data_row(row, summaries[row["id"]])
        if len(rows) < chunk:
            return
        cursor = Cursor(rows[-1]["filed_at"], rows[-1]["id"])


def csv_value(value: Any) -> str:
    """One CSV cell; text that a spreadsheet would run as a formula starts with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = ",".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# Trends ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Trend:
    """Monthly counts of received complaints, per value of one dimension and in total."""

    by: str
    months: tuple[MonthCount, ...]  # the total per month, oldest first
    series: dict[str, dict[str, int]]  # value -> {"YYYY-MM": count}
    labels: dict[str, str]  # value -> words

    @property
    def total(self) -> int:
        return sum(month.count for month in self.months)


def _labels(by: str, values: set[str]) -> dict[str, str]:
    if by == "type":
        return {value: str(ComplaintType(value).label) for value in values if value in ComplaintType.values}
    if by == "issue":
        return {value: ISSUE_LABELS.get(value, "No issue given") for value in values}
    if by == "status":
        return {value: str(Status(value).label) for value in values if value in Status.values}
    return {value: value for value in values}


def open_data_trend(filters: Filters, *, by: str, months: int = 12, now: datetime | None = None) -> Trend:
    """Complaints received per month over the last `months` months, split by `by` (TREND_DIMENSIONS)."""
    if by not in TREND_DIMENSIONS:
        message = f"Choose one of {', '.join(TREND_DIMENSIONS)}."
        raise InvalidInput("Bad dimension.", field_errors={"by": [message]})
    now = now or timezone.now()
    first = months_before(utc_day(now).replace(day=1), months - 1)
    qs = published_open_data(filters).filter(filed_at__gte=_start_of(first))
    column = "business__name" if by == "business" else by
    counted = (
        qs.annotate(month=TruncMonth("filed_at", tzinfo=UTC))
        .values_list("month", column)
        .order_by()
        .annotate(n=Count("id"))
    )
    totals: Counter[date] = Counter()
    series: dict[str, dict[str, int]] = {}
    for month, value, n in counted:
        day = month.date() if isinstance(month, datetime) else month
        totals[day] += n
        key = value or ""
        series.setdefault(key, {})[day.strftime("%Y-%m")] = series.get(key, {}).get(day.strftime("%Y-%m"), 0) + n
    shown = []
    cursor = first
    for _ in range(months):
        shown.append(MonthCount(cursor, totals.get(cursor, 0)))
        cursor = months_before(cursor, -1)
    return Trend(by=by, months=tuple(shown), series=series, labels=_labels(by, set(series)))
