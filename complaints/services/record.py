"""Writes of the public record: masked copies, the search index and the businesses' day figures.

What to write is planned by `complaints.publication`; the move writer (`.moves`) calls
`publishing_write` under the complaints' row locks. The rest are staff and operator acts:
re-masking a complaint, re-indexing one after staff edited its masked text, and recounting a
business's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Model, Q

from accounts.models import Business
from core.bulk import bulk_set

from ..figures import RECENT_MONTHS, business_figures_forget
from ..models import BusinessStatsDay, BusinessStatsSummary, Complaint
from ..publication import (
    FACTS_COLUMNS,
    MASK_FIELDS,
    SEARCH_VECTOR,
    Masked,
    Publishing,
    Summary,
    complaints_mask,
    complaints_remasked,
    counts_merged,
    stats_days_count,
    summary_counted,
    thread_documents,
    window_start_day,
)
from ..selectors.dashboard import queue_counts_forget
from ..workflow import PUBLIC_CLOSED_STATES


def search_vectors_set(documents: dict[int, str]) -> None:
    """Index the given documents (complaint id -> `publication.search_document`) in one statement."""
    if connection.vendor != "postgresql" or not documents:
        return
    rows = sorted(documents.items())
    table, vector = Complaint._meta.db_table, SEARCH_VECTOR.format("v.document")
    values = ", ".join(["(%s, %s)"] * len(rows))
    # The table comes from the model and every value is a parameter (bandit B608 is a false alarm).
    sql = (
        f"UPDATE {table} AS c SET search_vector = {vector} FROM (VALUES {values}) AS v(id, document) WHERE c.id = v.id"  # nosec B608
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def thread_items_write(masked: Masked) -> None:
    """Save the thread items' new masked copies, one statement per thread model."""
    by_model: dict[type[Model], list[Model]] = {}
    for item in masked.thread_items:
        by_model.setdefault(type(item), []).append(item)
    for items in by_model.values():
        bulk_set(items, ["text_masked"])


def stats_days_add(changes: dict[tuple[int, date], dict[str, int]], sign: int) -> None:
    """Add (or with sign -1 take away) counters to the day rows of (business, day), creating them.

    The rows are locked in (business, day) order, so concurrent batches cannot deadlock.
    """
    if not changes:
        return
    keys = sorted(changes)
    business_ids = {business_id for business_id, _ in keys}
    day_set = {day for _, day in keys}

    def locked_rows() -> dict[tuple[int, date], BusinessStatsDay]:
        rows = (
            BusinessStatsDay.objects.select_for_update()
            .filter(business_id__in=business_ids, day__in=day_set)
            .order_by("business_id", "day")
        )
        return {(row.business_id, row.day): row for row in rows}

    rows = locked_rows()
    missing = [key for key in keys if key not in rows]
    if missing:
        # Another transaction may create the same row meanwhile: its insert wins, ours is ignored.
        BusinessStatsDay.objects.bulk_create(
            [BusinessStatsDay(business_id=business_id, day=day, counts={}) for business_id, day in missing],
            ignore_conflicts=True,
        )
        rows = locked_rows()
    changed = []
    for key in keys:
        row = rows[key]
        row.counts = counts_merged(row.counts, changes[key], sign)
        changed.append(row)
    bulk_set(changed, ["counts"])
    figures_forget(sorted(business_ids))


def figures_forget(business_ids: list[int]) -> None:
    # Now, and again after commit: a reader between the two would cache the figures before the change.
    business_figures_forget(business_ids)
    transaction.on_commit(lambda: business_figures_forget(business_ids))


def public_versions_bump(business_ids: Iterable[int | None]) -> None:
    """Move on the public version of these businesses: their profile's ETag changes at once.

    Called after the day rows are written (their locks are taken first, in the same order
    everywhere), with the business rows locked in id order so that concurrent pages cannot
    deadlock on them.
    """
    ids = sorted({business_id for business_id in business_ids if business_id is not None})
    if not ids:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            list(Business.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        Business.objects.filter(pk__in=ids).update(public_version=F("public_version") + 1)


def counts_forget(business_ids: list[int]) -> None:
    # The dashboard's counts by state, under a version every move moves on (see figures_forget).
    queue_counts_forget(business_ids)
    transaction.on_commit(lambda: queue_counts_forget(business_ids))


def figures_write(publishing: Publishing) -> None:
    # Last in a move: a business's day row is shared with every other complaint closing that day,
    # so its lock is held for as short a time as possible before the commit.
    stats_days_add(publishing.leaving, -1)
    stats_days_add(publishing.entering, +1)
    # The summaries after every day row: their locks are always taken after the day rows'.
    stats_summaries_add(publishing.leaving, publishing.entering)


def summary_windows() -> tuple[Any, Any]:
    return window_start_day(settings.REDRESS_PUBLICATION_MONTHS), window_start_day(RECENT_MONTHS)


def _summary_saved(business_id: int, summary: Summary) -> None:
    BusinessStatsSummary.objects.update_or_create(
        business_id=business_id,
        defaults={
            "since": summary.since,
            "recent_since": summary.recent_since,
            "counts": summary.counts,
            "months": summary.months,
            "recent": summary.recent,
        },
    )


def stats_summary_recount(*, business_id: int) -> Summary:
    """The summary of one business recounted from its day rows (nothing is written)."""
    since, recent_since = summary_windows()
    rows = BusinessStatsDay.objects.filter(business_id=business_id, day__gte=min(since, recent_since))
    return summary_counted(rows.order_by().values_list("day", "counts"), since, recent_since)


def stats_summary_stored(*, business_id: int) -> Summary | None:
    """One business's stored summary moved on to today's windows as a reader sees it (nothing is written)."""
    row = BusinessStatsSummary.objects.filter(business_id=business_id).first()
    if row is None:
        return None
    since, recent_since = summary_windows()
    summary = Summary(
        since=row.since, recent_since=row.recent_since, counts=row.counts, months=row.months, recent=row.recent
    )
    left = BusinessStatsDay.objects.filter(
        Q(day__gte=row.since, day__lt=since) | Q(day__gte=row.recent_since, day__lt=recent_since),
        business_id=business_id,
    )
    summary.moved_on(since, recent_since, left.order_by().values_list("day", "counts"))
    return summary


def stats_summary_rebuild(*, business_id: int) -> Summary:
    """Recount one business's summary from its day rows and store it."""
    with transaction.atomic():
        list(BusinessStatsSummary.objects.select_for_update().filter(business_id=business_id))
        summary = stats_summary_recount(business_id=business_id)
        _summary_saved(business_id, summary)
    return summary


def stats_summaries_add(
    leaving: dict[tuple[int, date], dict[str, int]], entering: dict[tuple[int, date], dict[str, int]]
) -> None:
    """Bring the summaries of the businesses whose day rows just changed in step with them.

    Called after the day rows were written in this transaction. Each summary is locked in
    business order, the changes on or after its days are applied, then its windows are moved
    on to today's, taking away the day rows that left them (read as they are now, changes
    included). A business without a summary, or one whose days lie ahead of today's windows
    (the clock went back), is recounted from its day rows.
    """
    business_ids = sorted({business_id for business_id, _ in leaving} | {business_id for business_id, _ in entering})
    if not business_ids:
        return
    since, recent_since = summary_windows()
    stored = {
        row.business_id: row
        for row in BusinessStatsSummary.objects.select_for_update().filter(business_id__in=business_ids).order_by("pk")
    }
    # One read of day rows for every business recounted, one for the days that left the windows.
    recount = [
        business_id
        for business_id in business_ids
        if (row := stored.get(business_id)) is None or row.since > since or row.recent_since > recent_since
    ]
    recount_rows: dict[int, list[tuple[date, dict[str, int]]]] = {business_id: [] for business_id in recount}
    if recount:
        for business_id, day, counts in (
            BusinessStatsDay.objects.filter(business_id__in=recount, day__gte=min(since, recent_since))
            .order_by()
            .values_list("business_id", "day", "counts")
        ):
            recount_rows[business_id].append((day, counts))
    left_rows = _days_left_windows(
        [row for business_id, row in stored.items() if business_id not in recount_rows], since, recent_since
    )
    changed, created = [], []
    for business_id in business_ids:
        if business_id in recount_rows:
            summary = summary_counted(recount_rows[business_id], since, recent_since)
        else:
            row = stored[business_id]
            summary = Summary(
                since=row.since, recent_since=row.recent_since, counts=row.counts, months=row.months, recent=row.recent
            )
            for sign, changes in ((-1, leaving), (+1, entering)):
                for (changed_business, day), change in changes.items():
                    if changed_business == business_id:
                        summary.add(day, change, sign)
            if summary.since < since or summary.recent_since < recent_since:
                left = [
                    (day, counts)
                    for day, counts in left_rows.get(business_id, [])
                    if summary.since <= day < since or summary.recent_since <= day < recent_since
                ]
                summary.moved_on(since, recent_since, left)
        values = {
            "since": summary.since,
            "recent_since": summary.recent_since,
            "counts": summary.counts,
            "months": summary.months,
            "recent": summary.recent,
        }
        if business_id in stored:
            row = stored[business_id]
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        else:
            created.append(BusinessStatsSummary(business_id=business_id, **values))
    bulk_set(changed, ["since", "recent_since", "counts", "months", "recent"])
    BusinessStatsSummary.objects.bulk_create(created)


def _days_left_windows(
    summaries: list[BusinessStatsSummary], since: date, recent_since: date
) -> dict[int, list[tuple[date, dict[str, int]]]]:
    """The day rows that left each summary's windows since it was written: none while they are today's.

    Only the days between a summary's window starts and today's are read, in one query; the
    summaries of a page usually share their starts (the windows move on once a day for all).
    """
    lagging: dict[tuple[date, date], list[int]] = {}
    for row in summaries:
        if row.since < since or row.recent_since < recent_since:
            lagging.setdefault((row.since, row.recent_since), []).append(row.business_id)
    if not lagging:
        return {}
    days = Q()
    for (row_since, row_recent_since), business_ids in lagging.items():
        ranges = Q(day__gte=row_since, day__lt=since) | Q(day__gte=row_recent_since, day__lt=recent_since)
        days |= Q(business_id__in=business_ids) & ranges
    left: dict[int, list[tuple[date, dict[str, int]]]] = {}
    for business_id, day, counts in (
        BusinessStatsDay.objects.filter(days).order_by().values_list("business_id", "day", "counts")
    ):
        left.setdefault(business_id, []).append((day, counts))
    return left


def complaint_remask(*, complaint_id: int) -> None:
    """Mask the originals again, replacing staff edits: the explicit re-mask staff ask for."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("complainant").get(pk=complaint_id)
        masked = complaints_mask([complaint], force=True)
        thread_items_write(masked)
        bulk_set([complaint], [*MASK_FIELDS, "public_response_masked"])
        search_vectors_set(masked.documents)
        public_versions_bump([complaint.business_id])


@dataclass(frozen=True)
class RemaskPage:
    """One page of a re-mask: the last complaint id it read, how many it read and changed."""

    last_id: int
    read: int
    changed: int


REMASK_FIELDS = (
    "pk",
    "description",
    "description_masked",
    "publish_consent",
    "complainant_id",
    "business_id",
    "reference",
)
# Read as well once the public response exists (migration 0015); migration 0011 re-masks without it.
PUBLIC_RESPONSE_FIELDS = ("public_response", "public_response_masked", "public_response_at")


def complaints_remask_page(*, after_id: int, size: int, public_responses: bool = True) -> RemaskPage | None:
    """Mask again, with today's rules, the next `size` complaints with a masked copy after `after_id`.

    One transaction per page, under the complaints' row locks: the changed descriptions and
    thread items are written in one statement per model and their search vectors in one more.
    Staff edits stay (`publication.staff_edits`); the timeline is not touched, since the
    originals it speaks of are unchanged. None when no complaint is left.
    """
    with transaction.atomic():
        complaints = list(
            Complaint.objects.select_for_update()
            .filter(masked_at__isnull=False, pk__gt=after_id)
            .order_by("pk")
            .only(*REMASK_FIELDS, *(PUBLIC_RESPONSE_FIELDS if public_responses else ()))[:size]
        )
        if not complaints:
            return None
        masked = complaints_remasked(complaints, public_responses=public_responses)
        bulk_set(masked.complaints, ["description_masked", *(["public_response_masked"] if public_responses else [])])
        thread_items_write(masked)
        search_vectors_set(masked.documents)
        public_versions_bump([complaint.business_id for complaint in complaints if complaint.pk in masked.documents])
    return RemaskPage(last_id=complaints[-1].pk, read=len(complaints), changed=len(masked.documents))


def complaints_remask(
    *, size: int = 200, on_page: Callable[[RemaskPage], None] | None = None, public_responses: bool = True
) -> tuple[int, int]:
    """Mask every stored masked copy again, page by page (keyset on the id); (read, changed).

    `public_responses=False` leaves the public response out, for a migration that runs before
    its columns exist.
    """
    read = changed = 0
    after_id = 0
    while (page := complaints_remask_page(after_id=after_id, size=size, public_responses=public_responses)) is not None:
        read, changed, after_id = read + page.read, changed + page.changed, page.last_id
        if on_page is not None:
            on_page(page)
    return read, changed


def complaints_refresh_search(*, complaint_ids: Sequence[int]) -> None:
    """Index the published text of the complaints as it is stored now (after staff edit masked text)."""
    if connection.vendor != "postgresql" or not complaint_ids:
        return
    complaints = list(
        Complaint.objects.filter(pk__in=complaint_ids).only(
            "pk", "publish_consent", "description_masked", "public_response_masked", "business_id"
        )
    )
    search_vectors_set(thread_documents(complaints))
    public_versions_bump([complaint.business_id for complaint in complaints])


def complaint_refresh_search(*, complaint_id: int) -> None:
    """Index one complaint's published text (see `complaints_refresh_search`)."""
    complaints_refresh_search(complaint_ids=[complaint_id])


def business_stats_rebuild(*, business_id: int) -> int:
    """Recount one business's day rows from its complaints; returns the complaints counted."""
    rows: Any = (
        Complaint.objects.filter(business_id=business_id, status__in=PUBLIC_CLOSED_STATES, closed_at__isnull=False)
        .values_list(*FACTS_COLUMNS)
        .iterator(chunk_size=5000)
    )
    days, counted = stats_days_count(rows)
    with transaction.atomic():
        BusinessStatsDay.objects.filter(business_id=business_id).delete()
        BusinessStatsDay.objects.bulk_create(
            BusinessStatsDay(business_id=business_id, day=day, counts=counts) for day, counts in days.items()
        )
        stats_summary_rebuild(business_id=business_id)
        figures_forget([business_id])
        public_versions_bump([business_id])
    return counted
