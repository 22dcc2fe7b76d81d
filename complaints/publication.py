"""What happens to the public record when a complaint changes state: a planner, it writes nothing.

`complaints_publishing` runs under the complaints' row locks inside every move and returns a
`Publishing` that the writer (`complaints.services.moves`) applies:

- entering a public closed state (docs/domain.md, "Publication and masking"), the description and
  every business response and customer answer get a masked copy beside the original, unless
  one is there already (staff may have edited it in admin; only `complaint_remask` overwrites
  it). Responses and answers added later (a late response after Unanswered, a late acceptance
  after Answered) are masked when the complaint closes again;
- the complaint's contribution to its business's figures is added to the `BusinessStatsDay`
  row of the day it closed, and taken away from the day it closed before when it leaves a
  public closed state (reopened, answered late, accepted late). Profiles sum those rows and
  never recount complaints; `complaints.services.record.business_stats_rebuild` recounts one
  business for operators;
- on PostgreSQL the full-text index of the published text is refreshed.

The thread's models come from `complaints.thread` (disputes registers them).

The publication window is counted in whole days: a complaint closed on day D (UTC) is published
until the end of the day 36 months after D (`REDRESS_PUBLICATION_MONTHS`), so the day rows
and the list agree exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from accounts.models import Membership, User

from .deadlines import days_after
from .issues import ResponseOutcome
from .models import Complaint, ComplaintEvent, Status
from .redaction import mask_text
from .thread import thread_models
from .workflow import PUBLIC_CLOSED_STATES, Event

# Time windows ---------------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def window_start_day(months: int, now: datetime | None = None) -> date:
    """The first closing day still inside a window of `months` months ending today."""
    return months_before(utc_day(now or timezone.now()), months)


def publication_cutoff(now: datetime | None = None) -> datetime:
    """Complaints closed at or after this moment are published."""
    start = window_start_day(settings.REDRESS_PUBLICATION_MONTHS, now)
    return datetime(start.year, start.month, start.day, tzinfo=UTC)


# The figures one complaint contributes --------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    status: str
    type: str
    closed_at: datetime
    filed_at: datetime
    forwarded_at: datetime | None
    first_response_at: datetime | None
    # The outcome the business gave with its latest response before closing (ResponseOutcome,
    # "" for none), the monetary relief it reported and the complaint's currency.
    outcome: str = ""
    relief_amount: Decimal | None = None
    currency: str = "USD"


def relief_key(currency: str) -> str:
    """The day-row counter of monetary relief in `currency`, held in hundredths (cents)."""
    return f"relief:{currency}"


def contribution(facts: Facts) -> dict[str, int]:
    """The counters one published complaint adds to its closing day.

    A complaint is `counted` for the response figures when the business responded before it
    closed, or when its first due date (told + REDRESS_BUSINESS_RESPONSE_DAYS) passed before it
    closed without a response. A response was on time when it came by that due date; its time is
    measured from when the business was told (or filed, if never forwarded). A complaint closed
    with an outcome adds `o:<outcome>`; one closed with monetary relief adds the amount, in
    hundredths of its currency, to `relief:<currency>` (docs/domain.md, "Figures").
    """
    counts = {f"n:{facts.status}:{facts.type}": 1}
    if facts.outcome:
        counts[f"o:{facts.outcome}"] = 1
        if (
            facts.outcome == ResponseOutcome.MONETARY_RELIEF
            and facts.relief_amount is not None
            and facts.relief_amount > 0
        ):
            counts[relief_key(facts.currency)] = int(facts.relief_amount * 100)
    told = facts.forwarded_at or facts.filed_at
    due = days_after(told, settings.REDRESS_BUSINESS_RESPONSE_DAYS)
    response = facts.first_response_at
    if response is not None and response <= facts.closed_at:
        counts["counted"] = 1
        counts["responded"] = 1
        if response <= due:
            counts["on_time"] = 1
        hours = max(0, int((response - told).total_seconds() // 3600))
        counts[f"h:{hours}"] = 1
    elif due <= facts.closed_at and facts.status != Status.UNPURSUABLE:
        # The first due date passed without a response: it counts against the business. A
        # complaint closed before its first due date, or one whose business could not be
        # reached, counts neither way (docs/domain.md, "Figures").
        counts["counted"] = 1
    return counts


def _facts(
    complaint: Complaint, status: str, closed_at: datetime, outcome: tuple[str, Decimal | None] | None = None
) -> Facts:
    """The complaint's facts for a closing at `closed_at`; `outcome` is (outcome, relief) if not the complaint's own."""
    business_outcome, relief_amount = outcome or (complaint.business_outcome, complaint.relief_amount)
    return Facts(
        status=status,
        type=complaint.type,
        closed_at=closed_at,
        filed_at=complaint.filed_at,
        forwarded_at=complaint.forwarded_at,
        first_response_at=complaint.first_response_at,
        outcome=business_outcome,
        relief_amount=relief_amount,
        currency=complaint.currency,
    )


def _sum(into: dict[tuple[int, date], dict[str, int]], key: tuple[int, date], counts: dict[str, int]) -> None:
    totals = into.setdefault(key, {})
    for name, value in counts.items():
        totals[name] = totals.get(name, 0) + value


def _closed_before(complaint: Complaint, status: str) -> tuple[datetime, tuple[str, Decimal | None]] | None:
    """When the complaint last entered `status` (its closing time before this transition), and
    the outcome it closed with.

    The outcome is the stored row's, not the one in memory: the move leaving the state may be a
    late response with an outcome of its own, and nothing changes the outcome while closed.
    """
    row = (
        ComplaintEvent.objects.filter(complaint_id=complaint.pk, to_status=status)
        .exclude(from_status=status)
        .order_by("-created_at", "-id")
        .values_list("created_at", "complaint__business_outcome", "complaint__relief_amount")
        .first()
    )
    return None if row is None else (row[0], (row[1], row[2]))


# Masking ---------------------------------------------------------------------------------------


def names_to_mask(complaints: Sequence[Complaint]) -> dict[int, list[str]]:
    """For each complaint, the names masked in its text: the complainant and the business's people."""
    # Ids first, then one lookup by primary key: an OR across the membership join made
    # PostgreSQL scan the whole user table (~70 ms with 200,000 users, see bench/README.md).
    people: dict[int, set[int]] = {complaint.pk: {complaint.complainant_id} for complaint in complaints}
    for model in thread_models():
        authors = model._default_manager.filter(complaint_id__in=people).values_list("complaint_id", "author_id")
        for complaint_id, author_id in authors:
            people[complaint_id].add(author_id)
    business_ids = {complaint.business_id for complaint in complaints if complaint.business_id is not None}
    members: dict[int, set[int]] = {}
    for business_id, user_id in Membership.objects.filter(business_id__in=business_ids).values_list(
        "business_id", "user_id"
    ):
        members.setdefault(business_id, set()).add(user_id)
    for complaint in complaints:
        if complaint.business_id is not None:
            people[complaint.pk] |= members.get(complaint.business_id, set())
    everyone = set().union(*people.values()) if people else set()
    names = dict(User.objects.filter(pk__in=everyone).values_list("pk", "name"))
    return {pk: sorted({names[user_id] for user_id in ids if user_id in names}) for pk, ids in people.items()}


MASK_FIELDS = ("description_masked", "masked_at")


def references_to_mask(complaint: Complaint) -> list[str]:
    """The complaint's own references, masked wherever its published text repeats them.

    Only the loaded ones: a migration that re-masks with this code loads the columns of its time.
    """
    deferred = complaint.get_deferred_fields()
    return [getattr(complaint, name) for name in ("reference", "business_ticket_reference") if name not in deferred]


@dataclass
class Masked:
    """Masked copies worked out in memory: the descriptions on the complaints themselves (`MASK_FIELDS`),
    the thread items that got a new `text_masked`, and each complaint's search document."""

    documents: dict[int, str] = field(default_factory=dict)
    thread_items: list[Model] = field(default_factory=list)
    # Complaints whose description got a new masked copy (filled by `complaints_remasked` only).
    complaints: list[Complaint] = field(default_factory=list)


def complaints_mask(complaints: Sequence[Complaint], *, force: bool = False) -> Masked:
    """Mask the descriptions and threads in memory; keep existing masked copies unless `force`."""
    masked = Masked()
    if not complaints:
        return masked
    names = names_to_mask(complaints)
    references = {complaint.pk: references_to_mask(complaint) for complaint in complaints}
    now = timezone.now()
    for complaint in complaints:
        if force or complaint.masked_at is None:
            complaint.description_masked = mask_text(
                complaint.description,
                names=names[complaint.pk],
                region=settings.REDRESS_PHONE_REGION,
                references=references_to_mask(complaint),
            )
            complaint.masked_at = now
        if force and complaint.public_response_at is not None:
            complaint.public_response_masked = mask_text(
                complaint.public_response,
                names=names[complaint.pk],
                region=settings.REDRESS_PHONE_REGION,
                references=references[complaint.pk],
            )
    threads: dict[int, list[str]] = {complaint.pk: [] for complaint in complaints}
    for model in thread_models():
        items: list[Any] = list(
            model._default_manager.filter(complaint_id__in=names)
            .order_by("pk")
            .only("complaint_id", "text", "text_masked")
        )
        masked.thread_items += [
            item for item in items if _mask_item(item, names[item.complaint_id], force, references[item.complaint_id])
        ]
        for item in items:
            threads[item.complaint_id].append(item.text_masked)
    masked.documents = {
        complaint.pk: search_document(
            complaint.publish_consent,
            complaint.description_masked,
            threads[complaint.pk],
            complaint.public_response_masked,
        )
        for complaint in complaints
    }
    return masked


def _mask_item(item: Model, names: list[str], force: bool, references: Sequence[str] = ()) -> bool:
    """Mask one thread item unless it has a masked copy already (always if `force`); True if changed."""
    if force or (item.text and not item.text_masked):  # type: ignore[attr-defined]
        item.text_masked = mask_text(  # type: ignore[attr-defined]
            item.text,  # type: ignore[attr-defined]
            names=names,
            region=settings.REDRESS_PHONE_REGION,
            references=references,
        )
        return True
    return False


# Re-masking with the rules of today -------------------------------------------------------------


@dataclass(frozen=True)
class StaffEdits:
    """The published texts staff wrote by hand (`edit_public_text`), which a re-mask leaves alone.

    A description counts while it is still the text of the last edit (an explicit
    `complaint_remask` replaces it); a response or answer counts once any edit named it.
    """

    descriptions: frozenset[int]
    thread_items: frozenset[tuple[str, int]]


def staff_edits(complaints: Sequence[Complaint]) -> StaffEdits:
    last_text: dict[int, str] = {}
    items: set[tuple[str, int]] = set()
    edits = (
        ComplaintEvent.objects.filter(complaint_id__in=[c.pk for c in complaints], event=Event.EDIT_PUBLIC_TEXT)
        .order_by("created_at", "id")
        .values_list("complaint_id", "data")
    )
    for complaint_id, data in edits:
        if "description" in (data or {}):
            last_text[complaint_id] = data["description"]
        items.update((label, pk) for label, pk in (data or {}).get("thread", []))
    descriptions = {c.pk for c in complaints if c.pk in last_text and last_text[c.pk] == c.description_masked}
    return StaffEdits(frozenset(descriptions), frozenset(items))


def complaints_remasked(complaints: Sequence[Complaint], *, public_responses: bool = True) -> Masked:
    """The masked copies today's rules give the complaints' stored texts, where they differ.

    Only texts that have a masked copy are masked again (the others are masked when their
    complaint enters the public record); what staff wrote by hand stays (`staff_edits`). The
    descriptions and public responses are set in memory on the complaints, listed in `complaints`; `documents` holds
    the search document of each complaint whose published text changed.
    """
    masked = Masked()
    if not complaints:
        return masked
    names = names_to_mask(complaints)
    references = {complaint.pk: references_to_mask(complaint) for complaint in complaints}
    edited = staff_edits(complaints)
    region = settings.REDRESS_PHONE_REGION
    changed: set[int] = set()
    for complaint in complaints:
        if complaint.pk not in edited.descriptions:
            text = mask_text(
                complaint.description, names=names[complaint.pk], region=region, references=references[complaint.pk]
            )
            if text != complaint.description_masked:
                complaint.description_masked = text
                changed.add(complaint.pk)
        if public_responses and complaint.public_response_at is not None:
            text = mask_text(
                complaint.public_response, names=names[complaint.pk], region=region, references=references[complaint.pk]
            )
            if text != complaint.public_response_masked:
                complaint.public_response_masked = text
                changed.add(complaint.pk)
        if complaint.pk in changed:
            masked.complaints.append(complaint)
    threads: dict[int, list[str]] = {complaint.pk: [] for complaint in complaints}
    for model in thread_models():
        thread = model._default_manager.filter(complaint_id__in=names).order_by("pk")
        items: list[Any] = list(thread.only("complaint_id", "text", "text_masked"))
        for item in items:
            if item.text_masked and (item._meta.label_lower, item.pk) not in edited.thread_items:
                text = mask_text(
                    item.text, names=names[item.complaint_id], region=region, references=references[item.complaint_id]
                )
                if text != item.text_masked:
                    item.text_masked = text
                    masked.thread_items.append(item)
                    changed.add(item.complaint_id)
            threads[item.complaint_id].append(item.text_masked)
    masked.documents = {
        complaint.pk: search_document(
            complaint.publish_consent,
            complaint.description_masked,
            threads[complaint.pk],
            complaint.public_response_masked if public_responses else "",
        )
        for complaint in complaints
        if complaint.pk in changed
    }
    return masked


def thread_documents(complaints: Sequence[Complaint]) -> dict[int, str]:
    """Each complaint's search document from the masked text stored now (after staff edited it)."""
    threads: dict[int, list[str]] = {complaint.pk: [] for complaint in complaints}
    for model in thread_models():
        thread = model._default_manager.filter(complaint_id__in=threads).order_by("pk")
        for complaint_id, text in thread.values_list("complaint_id", "text_masked"):
            threads[complaint_id].append(text)
    return {
        complaint.pk: search_document(
            complaint.publish_consent,
            complaint.description_masked,
            threads[complaint.pk],
            complaint.public_response_masked,
        )
        for complaint in complaints
    }


# Full-text search -------------------------------------------------------------------------------


def search_document(
    consented: bool, description_masked: str, thread_masked: Sequence[str], public_response_masked: str = ""
) -> str:
    """The text a complaint is found by: its masked description, thread (in id order) and public
    response, if consented.

    Only consented, masked text is indexed, so a search never reveals withheld words; the public
    response is shown under the same consent (docs/open-data.md), so it is found under it too.
    """
    if not consented:
        return ""
    return "\n".join(part for part in (description_masked, *thread_masked, public_response_masked) if part)


SEARCH_VECTOR = "to_tsvector('english', {})"  # PostgreSQL; the search field is null elsewhere


# The hook the transition service calls ---------------------------------------------------------


@dataclass
class Publishing:
    """What a set of state changes does to the public record, worked out before the rows are saved.

    `complaints_publishing` masks the text of the complaints entering the public record (the
    descriptions in memory, see `complaints_mask`); the writer then saves the complaint rows with
    `MASK_FIELDS`, the masked thread items and the `documents`' search vectors, and adds the
    figures last: `leaving` taken away from, `entering` added to each (business, day) row.
    """

    masked: Masked = field(default_factory=Masked)
    leaving: dict[tuple[int, date], dict[str, int]] = field(default_factory=dict)
    entering: dict[tuple[int, date], dict[str, int]] = field(default_factory=dict)

    @property
    def documents(self) -> dict[int, str]:
        return self.masked.documents


def complaints_publishing(changes: Sequence[tuple[Complaint, str]]) -> Publishing:
    """Keep the public record in step with complaints changing state (called under their locks).

    `changes` pairs each complaint, in its new state but not saved yet, with the state it left.
    """
    publishing = Publishing()
    published: list[Complaint] = []
    for complaint, previous_status in changes:
        if complaint.business_id is None:
            continue
        if previous_status in PUBLIC_CLOSED_STATES:
            before = _closed_before(complaint, previous_status)
            if before is not None:
                closed_before, outcome_before = before
                facts = _facts(complaint, previous_status, closed_before, outcome_before)
                _sum(publishing.leaving, (complaint.business_id, utc_day(closed_before)), contribution(facts))
        if complaint.status in PUBLIC_CLOSED_STATES and complaint.closed_at is not None:
            published.append(complaint)
            facts = _facts(complaint, complaint.status, complaint.closed_at)
            _sum(publishing.entering, (complaint.business_id, utc_day(complaint.closed_at)), contribution(facts))
    publishing.masked = complaints_mask(published)
    return publishing


# The complaint columns a recount reads, in the order of `Facts`.
FACTS_COLUMNS = (
    "status",
    "type",
    "closed_at",
    "filed_at",
    "forwarded_at",
    "first_response_at",
    "business_outcome",
    "relief_amount",
    "currency",
)


def stats_days_count(complaints: Iterable[Sequence[Any]]) -> tuple[dict[date, dict[str, int]], int]:
    """Each closing day's counters from rows of `FACTS_COLUMNS` (a migration written before the
    outcome existed gives the first six: no outcome)."""
    days: dict[date, dict[str, int]] = {}
    counted = 0
    for row in complaints:
        closed_at = row[2]
        if closed_at is None:
            continue
        counts = days.setdefault(utc_day(closed_at), {})
        for key, value in contribution(Facts(*row)).items():
            counts[key] = counts.get(key, 0) + value
        counted += 1
    return days, counted


def counts_merged(counts: dict[str, int], change: dict[str, int], sign: int) -> dict[str, int]:
    """A day row's counters with `change` added (sign +1) or taken away (-1); zeros are dropped."""
    merged = dict(counts)
    for name, value in change.items():
        total = merged.get(name, 0) + sign * value
        if total > 0:
            merged[name] = total
        else:
            merged.pop(name, None)
    return merged


# The per-business summary of the day rows (BusinessStatsSummary) ------------------------------


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def published_count(counts: dict[str, int]) -> int:
    """The published complaints a day row (or any sum of them) counts: its `n:` counters."""
    return sum(value for key, value in counts.items() if key[0] == "n")


@dataclass
class Summary:
    """The sums of a business's day rows within its windows (see `BusinessStatsSummary`)."""

    since: date
    recent_since: date
    counts: dict[str, int] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)
    recent: int = 0

    def add(self, day: date, change: dict[str, int], sign: int) -> None:
        """Add (sign +1) or take away (-1) one day row's counters, where the windows hold that day."""
        if day >= self.since:
            self.counts = counts_merged(self.counts, change, sign)
            n = published_count(change)
            if n:
                self.months = counts_merged(self.months, {month_key(day): n}, sign)
        if day >= self.recent_since:
            self.recent = max(0, self.recent + sign * published_count(change))

    def moved_on(self, since: date, recent_since: date, rows: Iterable[tuple[date, dict[str, int]]]) -> None:
        """Move the windows on to start at `since` / `recent_since`; `rows` are the day rows that left them."""
        for day, counts in rows:
            if self.since <= day < since:
                self.counts = counts_merged(self.counts, counts, -1)
                n = published_count(counts)
                if n:
                    self.months = counts_merged(self.months, {month_key(day): n}, -1)
            if self.recent_since <= day < recent_since:
                self.recent = max(0, self.recent - published_count(counts))
        self.since = max(self.since, since)
        self.recent_since = max(self.recent_since, recent_since)


def summary_counted(rows: Iterable[tuple[date, dict[str, int]]], since: date, recent_since: date) -> Summary:
    """A summary recounted from day rows: the rows on or after `since` (and `recent_since`)."""
    summary = Summary(since=since, recent_since=recent_since)
    for day, counts in rows:
        summary.add(day, counts, +1)
    return summary
