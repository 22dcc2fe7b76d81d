"""Reads for a representative's dashboard: the queue, its counts by state, and each business's record.

Every read takes the represented businesses' ids as values (see selectors.visibility): the page
loads the businesses once and passes their ids down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Aggregate, Count, F, Q, QuerySet

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


def queue_counts(*, business_ids: Sequence[int], now: datetime) -> QueueCounts:
    """The counts in one query (an index-only scan of complaint_rep_counts_idx)."""
    rows = (
        complaint_list_for_representative(business_ids=business_ids)
        .values("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue(now)))
        .order_by()
    )
    by_status: dict[str, int] = {}
    late = 0
    for row in rows:
        by_status[row["status"]] = row["n"]
        late += row["late"]
    return QueueCounts(by_status, late)


def queue(
    *,
    business_ids: Sequence[int],
    now: datetime,
    status: str = "",
    business_id: int | None = None,
    overdue_only: bool = False,
) -> QuerySet[Complaint]:
    """The queue, narrowed by state, business and overdue, soonest due first (complaint_dashboard_idx)."""
    qs = complaint_list_for_representative(business_ids=business_ids)
    if status:
        qs = qs.filter(status=status)
    if business_id is not None:
        qs = qs.filter(business_id=business_id)
    if overdue_only:
        qs = qs.filter(overdue(now))
    return qs.order_by(*QUEUE_ORDER)


class _Median(Aggregate):
    """PostgreSQL's median (interpolated, like statistics.median)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
