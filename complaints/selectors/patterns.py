"""Reads for pattern reviews: the weekly counts of every business in one query, and the open reviews.

The counts are one aggregate over thirteen weeks of complaints, grouped by business, by the
fields compared (the complaint type, and the issue where complaints have one) and by whether
a complaint falls in the seven days compared; PostgreSQL sums, Python only adds up the groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import BooleanField, Case, Count, QuerySet, Value, When

from ..models import Complaint, PatternReview, Status
from ..patterns import Window, counts_by_scope

# The complaint fields a business's complaints are also compared by, when the model has them.
# `issue` joins as soon as complaints record one (docs/decisions/0026-pattern-reviews.md).
PATTERN_FIELDS = ("type", "issue")


def pattern_breakdowns() -> list[str]:
    """The fields of PATTERN_FIELDS the complaint model has."""
    names = {field.name for field in Complaint._meta.get_fields()}
    return [name for name in PATTERN_FIELDS if name in names]


def _counted(window: Window) -> QuerySet[Complaint]:
    # A complaint staff rejected (ineligible, or a duplicate) is not part of a pattern.
    return Complaint.objects.filter(
        business__isnull=False, filed_at__gte=window.baseline_start, filed_at__lt=window.end
    ).exclude(status=Status.REJECTED)


def pattern_counts(window: Window) -> dict[int, dict[tuple[str, str], tuple[int, int]]]:
    """For each business with complaints in the thirteen weeks: {(scope, key): (this week, baseline)}."""
    fields = pattern_breakdowns()
    rows = (
        _counted(window)
        .annotate(
            in_window=Case(
                When(filed_at__gte=window.start, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .values("business_id", *fields, "in_window")
        .annotate(n=Count("id"))
        .order_by()
    )
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row["business_id"]].append(({name: row[name] for name in fields}, row["in_window"], row["n"]))
    return {business_id: counts_by_scope(items, fields) for business_id, items in grouped.items()}


def pattern_window_complaints(
    *, business_id: int, scope: str, key: str, window: Window, excluded_types: Sequence[str] = ()
) -> list[int]:
    """The ids of the complaints a review lists: the business's, in the window, in its scope."""
    complaints = _counted(window).filter(business_id=business_id, filed_at__gte=window.start)
    if scope != PatternReview.Scope.OVERALL:
        complaints = complaints.filter(**{scope: key})
    elif excluded_types:
        complaints = complaints.exclude(type__in=excluded_types)
    return list(complaints.order_by("filed_at").values_list("pk", flat=True))


def pattern_reviews_open() -> QuerySet[PatternReview]:
    """The reviews waiting for a staff decision, oldest first (a staff queue)."""
    return (
        PatternReview.objects.filter(status=PatternReview.Status.OPEN)
        .select_related("business")
        .order_by("opened_at", "id")
    )
