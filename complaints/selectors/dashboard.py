"""Reads for a representative's dashboard: the queue, its counts by state, and each business's record.

Every read takes the represented businesses' ids as values (see selectors.visibility): the page
loads the businesses once and passes their ids down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from ..figures import business_figures
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


def business_response_figures(*, business_id: int) -> dict[str, object]:
    """A business's own answering record over complaints forwarded to it (rejected and withdrawn left out).

    Response rate: share of forwarded complaints with a business response. On time: share
    answered before the business's due date (a response after Unanswered is late). Median:
    days from forwarding to the first response, over the answered ones.
    """
    # One aggregate in the database: loading every forwarded row into Python took ~30 ms for a
    # business with 15,000 complaints (bench/README.md).
    qs = Complaint.objects.filter(business_id=business_id, forwarded_at__isnull=False).exclude(
        status__in=[Status.REJECTED, Status.WITHDRAWN]
    )
    delay = ExpressionWrapper(F("first_response_at") - F("forwarded_at"), output_field=DurationField())
    aggregates: dict[str, Any] = {
        "forwarded": Count("pk"),
        "answered": Count("pk", filter=Q(first_response_at__isnull=False)),
        "on_time": Count("pk", filter=Q(first_response_at__isnull=False, late_response=False)),
    }
    if connection.vendor == "postgresql":
        aggregates["median"] = _Median(delay, output_field=DurationField())
    row = qs.aggregate(**aggregates)
    if connection.vendor == "postgresql":
        middle = row["median"]
    else:
        delays = list(qs.filter(first_response_at__isnull=False).annotate(delay=delay).values_list("delay", flat=True))
        middle = median(delays) if delays else None
    forwarded, answered, on_time = row["forwarded"], row["answered"], row["on_time"]
    return {
        "forwarded": forwarded,
        "response_rate": round(100 * answered / forwarded) if forwarded else None,
        "on_time_rate": round(100 * on_time / forwarded) if forwarded else None,
        "median_days_to_first_response": round(middle.total_seconds() / 86400, 1) if middle is not None else None,
    }


def business_own_figures(*, business_id: int) -> dict[str, Any]:
    """The business's own answering record, and under "public" what its public profile shows.

    Like the public figures, the business's own are cached for REDRESS_FIGURES_CACHE_SECONDS
    (production: five minutes; off in tests): they aggregate every complaint the business had.
    """
    seconds = getattr(settings, "REDRESS_FIGURES_CACHE_SECONDS", 0)
    key = f"redress:response-figures:{business_id}"
    figures = cache.get(key) if seconds else None
    if figures is None:
        figures = business_response_figures(business_id=business_id)
        if seconds:
            cache.set(key, figures, seconds)
    return {**figures, "public": business_figures(business_id)}
