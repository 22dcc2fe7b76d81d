"""Reads for a representative's dashboard: the queue, its counts by state, and each business's record.

Every read takes the represented businesses' ids as values (see selectors.visibility): the page
loads the businesses once and passes their ids down.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Aggregate, Count, F, Min, Q, QuerySet

from core.cache_counters import current_versions, incr_existing

from ..models import Complaint, Status
from ..workflow import OPEN_STATES
from .visibility import complaint_list_for_representative

# Soonest due first; complaints with nothing due last, newest first among them.
QUEUE_ORDER = (F("due_at").asc(nulls_last=True), "-filed_at", "pk")


def overdue(now: datetime) -> Q:
    """Open complaints whose due date has passed."""
    return Q(status__in=OPEN_STATES, due_at__lt=now)


@dataclass(frozen=True)
class QueueCounts:
    """How many complaints the queue holds in each state, and how many of them are overdue."""

    by_status: dict[str, int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def states(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for each state that has complaints, in the workflow's order."""
        return [(value, label, self.by_status[value]) for value, label in Status.choices if self.by_status.get(value)]


def _version_key(business_id: int) -> str:
    return f"redress:queue-version:{business_id}"


# In the key: a release that changes what is cached never reads an older release's copies.
COUNTS_SHAPE = 2


def _counts_key(business_id: int, version: int) -> str:
    return f"redress:queue-counts:{COUNTS_SHAPE}:{business_id}:{version}"


def queue_counts_forget(business_ids: Sequence[int]) -> None:
    """Move the counts' version of these businesses on: the next read recounts them.

    Called by the move writer for every business whose complaints a move touched, at once and
    again after commit (a read between the two would cache the counts before the move under the
    first new version; the second moves past it). A version, not a delete: a read that began
    before the move stores its counts under the old version, which nobody reads again.
    """
    if not queue_cache_seconds() or not business_ids:
        return
    # A business with no version yet keeps none: its next read starts one past every earlier one.
    incr_existing([_version_key(business_id) for business_id in sorted(set(business_ids))])


def queue_cache_seconds() -> int:
    """How long the dashboard's copies are kept (`REDRESS_QUEUE_COUNTS_CACHE_SECONDS`); 0: none are."""
    return int(getattr(settings, "REDRESS_QUEUE_COUNTS_CACHE_SECONDS", 0))


def queue_versions(business_ids: Sequence[int]) -> dict[int, int]:
    """The current version of each business's queue (moved on by every move), or none when copies are off.

    The dashboard keeps its counts (`queue_counts`) and its pages of rows
    (`views.dashboard.kept_queue_page`) under these.
    """
    if not queue_cache_seconds() or not business_ids:
        return {}
    return _versions(business_ids)


def _versions(business_ids: Sequence[int]) -> dict[int, int]:
    """The current counts version of each business, starting one where none is stored."""
    keys = {business_id: _version_key(business_id) for business_id in business_ids}
    stored = current_versions(list(keys.values()))
    return {business_id: stored[key] for business_id, key in keys.items()}


@dataclass(frozen=True)
class _Counted:
    """One business's counts as cached: by state, overdue at `at`, and the next due date after it.

    The overdue count holds from `at` until `next_due` (the soonest due date still ahead), since
    a complaint stops being overdue only by a move, and every move drops the copy.
    """

    by_status: dict[str, int]
    late: int
    at: datetime
    next_due: datetime | None

    def holds_at(self, now: datetime) -> bool:
        return self.at <= now and (self.next_due is None or now < self.next_due)


def _counted(business_ids: Sequence[int], now: datetime) -> dict[int, _Counted]:
    """Each business's counts in one query (an index-only scan of complaint_rep_counts_idx)."""
    parts: dict[int, dict[str, Any]] = {
        business_id: {"by": {}, "late": 0, "next": None} for business_id in business_ids
    }
    rows = (
        complaint_list_for_representative(business_ids=business_ids)
        .values_list("business_id", "status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=overdue(now)),
            next_due=Min("due_at", filter=Q(status__in=OPEN_STATES, due_at__gte=now)),
        )
        .order_by()
    )
    for business_id, status, n, late, next_due in rows:
        part = parts[business_id]
        part["by"][status] = n
        part["late"] += late
        if next_due is not None and (part["next"] is None or next_due < part["next"]):
            part["next"] = next_due
    return {business_id: _Counted(part["by"], part["late"], now, part["next"]) for business_id, part in parts.items()}


def queue_counts(*, business_ids: Sequence[int], now: datetime, versions: dict[int, int] | None = None) -> QueueCounts:
    """The counts by state, and how many open complaints are overdue: one query, or none when cached.

    With `REDRESS_QUEUE_COUNTS_CACHE_SECONDS` set, each business's counts come from the cache,
    kept under a version that every move of one of its complaints moves on
    (`queue_counts_forget`), so they are never older than the last move; counting them scans
    every forwarded complaint of the business, which grows with it (bench/README.md). The
    overdue count also changes with the clock: a copy is used only until the next due date it
    saw comes (`_Counted.holds_at`), then the business is counted again. `versions`: those the
    caller has just read (`queue_versions`), so that they are read once a request.
    """
    seconds = queue_cache_seconds()
    if not seconds or not business_ids:
        return _summed(_counted(business_ids, now).values())
    versions = versions or _versions(business_ids)
    keys = {business_id: _counts_key(business_id, version) for business_id, version in versions.items()}
    stored = cache.get_many(list(keys.values()))
    held = {business_id: stored[key] for business_id, key in keys.items() if isinstance(stored.get(key), _Counted)}
    if len(held) == len(keys) and all(counted.holds_at(now) for counted in held.values()):
        return _summed(held.values())
    counted = _counted(business_ids, now)
    cache.set_many({keys[business_id]: counted[business_id] for business_id in business_ids}, seconds)
    return _summed(counted.values())


def _summed(counts: Iterable[_Counted]) -> QueueCounts:
    by_status: dict[str, int] = {}
    late = 0
    for counted in counts:
        late += counted.late
        for status, n in counted.by_status.items():
            by_status[status] = by_status.get(status, 0) + n
    return QueueCounts(by_status, late)


# What a row of the queue shows (views.dashboard.queue_rows: its standing, consequence, links and
# labels) and its key (QueueKey). A complaint has about sixty columns, its texts, masked copies and
# search vector among them; building the query and the rows for all of them cost more than the SQL.
QUEUE_COLUMNS = (
    "number",
    "business_id",
    "business_name",
    "business__name",
    "complainant__email_verified_at",  # read only while the complaint is being screened
    "type",
    "desired_outcome",
    "desired_outcomes",
    "status",
    "due_at",
    "due_kind",
    "on_hold",
    "second_notice_sent_at",
    "response_count",
    "filed_at",
)


def queue(
    *,
    business_ids: Sequence[int],
    now: datetime,
    status: str = "",
    business_id: int | None = None,
    overdue_only: bool = False,
) -> QuerySet[Complaint]:
    """The queue, narrowed by state, business and overdue, soonest due first (complaint_dashboard_idx).

    Only the columns a row shows are read (`QUEUE_COLUMNS`).
    """
    qs = complaint_list_for_representative(business_ids=business_ids).only(*QUEUE_COLUMNS)
    if status:
        qs = qs.filter(status=status)
    if business_id is not None:
        qs = qs.filter(business_id=business_id)
    if overdue_only:
        qs = qs.filter(overdue(now))
    return qs.order_by(*QUEUE_ORDER)


@dataclass(frozen=True)
class QueueKey:
    """A complaint's place in the queue's order: (due_at, filed_at, id), due_at None last."""

    due_at: datetime | None
    filed_at: datetime
    pk: int

    @classmethod
    def of(cls, complaint: Complaint) -> QueueKey:
        return cls(complaint.due_at, complaint.filed_at, complaint.pk)

    def token(self) -> str:
        """The key as it goes in a link: microseconds since the epoch (`-` for no due date) and the id."""
        due = "-" if self.due_at is None else str(_micros(self.due_at))
        return f"{due}.{_micros(self.filed_at)}.{self.pk}"

    @classmethod
    def parse(cls, token: str | None) -> QueueKey | None:
        """The key of a link, or None for anything that is not one (the page then starts at the top)."""
        parts = (token or "").split(".")
        if len(parts) != 3 or len(token or "") > 64:
            return None
        try:
            due = None if parts[0] == "-" else _moment(int(parts[0]))
            return cls(due, _moment(int(parts[1])), int(parts[2]))
        except (ValueError, OverflowError, OSError):
            return None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _moment(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _ties_after(key: QueueKey) -> Q:
    return Q(filed_at__lt=key.filed_at) | Q(filed_at=key.filed_at, pk__gt=key.pk)


def _ties_before(key: QueueKey) -> Q:
    return Q(filed_at__gt=key.filed_at) | Q(filed_at=key.filed_at, pk__lt=key.pk)


REVERSE_ORDER = (F("due_at").desc(nulls_first=True), "filed_at", "-pk")


def queue_after(queue: QuerySet[Complaint], key: QueueKey, limit: int) -> list[Complaint]:
    """Up to `limit` complaints of the queue after `key`, in its order (keyset paging).

    Each part is a range of complaint_dashboard_idx from the key on, so a deep page costs what
    the first does, where an OFFSET walked every row before it (bench/README.md). Complaints with
    no due date come last, as a second range once the dated ones run out.
    """
    if key.due_at is None:
        return list(queue.filter(due_at__isnull=True).filter(_ties_after(key)).order_by(*QUEUE_ORDER)[:limit])
    dated = list(
        queue.filter(due_at__gte=key.due_at)
        .exclude(Q(due_at=key.due_at) & ~_ties_after(key))
        .order_by(*QUEUE_ORDER)[:limit]
    )
    if len(dated) < limit:
        dated += list(queue.filter(due_at__isnull=True).order_by(*QUEUE_ORDER)[: limit - len(dated)])
    return dated


def queue_before(queue: QuerySet[Complaint], key: QueueKey, limit: int) -> list[Complaint]:
    """Up to `limit` complaints of the queue just before `key`, in the queue's order."""
    if key.due_at is None:
        rows = list(queue.filter(due_at__isnull=True).filter(_ties_before(key)).order_by(*REVERSE_ORDER)[:limit])
        if len(rows) < limit:
            rows += list(queue.filter(due_at__isnull=False).order_by(*REVERSE_ORDER)[: limit - len(rows)])
    else:
        rows = list(
            queue.filter(due_at__lte=key.due_at)
            .exclude(Q(due_at=key.due_at) & ~_ties_before(key))
            .order_by(*REVERSE_ORDER)[:limit]
        )
    rows.reverse()
    return rows


class _Median(Aggregate):
    """PostgreSQL's median (interpolated, like statistics.median)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
