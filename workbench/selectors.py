"""What the staff workbench reads: its queues, their counts, and the ageing of open cases.

Every queue is paged by keyset over (time, id), through a partial index, so a page costs the
same at the first page as at the thousandth and at 1,000,000 complaints as at 1,000
(docs/architecture.md, "Staff workbench").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from complaints.models import Complaint, DueKind, Status
from complaints.selectors.patterns import pattern_reviews_open
from complaints.selectors.staff_queues import staff_queues_cache_seconds, staff_queues_version
from complaints.workflow import OPEN_STATES
from core.models import OutboundEmail
from inbound.models import InboundMessage

PAGE_SIZE = 25

# Ages of an open case in its current state, for the ageing view: (label, from days, to days).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0 to 2 days", 0, 3),
    ("3 to 7 days", 3, 8),
    ("8 to 14 days", 8, 15),
    ("15 to 30 days", 15, 31),
    ("over 30 days", 31, None),
)


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    description: str


QUEUES: tuple[Queue, ...] = (
    Queue("screening", "Screening", "New complaints to forward, hold, link or reject."),
    Queue("rulings", "Rulings due", "Rejected answers waiting for a staff ruling."),
    Queue("mediation", "Mediation", "Cases in mediation or arbitration."),
    Queue("patterns", "Pattern reviews", "Rises in a business's complaints waiting for a staff decision."),
    Queue("emails", "Failed e-mails", "E-mails the outbox gave up on."),
    Queue("inbound", "Refused inbound mail", "Replies by e-mail that were refused, with the reason."),
)
QUEUE_KEYS = frozenset(queue.key for queue in QUEUES)
COMPLAINT_QUEUES = {"screening": Status.SUBMITTED, "rulings": Status.STAFF_REVIEW, "mediation": Status.IN_MEDIATION}


@dataclass
class Item:
    """One row of a queue: what it is, where to open it, when it is due and how old it is."""

    label: str
    detail: str
    url: str
    due_at: datetime | None
    since: datetime
    assigned_to: str = ""
    paused: bool = False

    def age(self, now: datetime) -> timedelta:
        return now - self.since


@dataclass
class Page:
    items: list[Item] = field(default_factory=list)
    next_cursor: str = ""


def parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    """A keyset cursor "<iso time>~<id>", or None if it is not one (bad input reads as the first page)."""
    moment, sep, pk = (cursor or "").rpartition("~")
    when = parse_datetime(moment) if sep else None
    if when is None or not pk.isdigit():
        return None
    return (when if timezone.is_aware(when) else timezone.make_aware(when)), int(pk)


def _cursor(when: datetime, pk: int) -> str:
    return f"{when.isoformat()}~{pk}"


def _after(queryset: QuerySet[Any], time_field: str, cursor: tuple[datetime, int] | None) -> QuerySet[Any]:
    if cursor is None:
        return queryset
    when, pk = cursor
    # A range on the index and one excluded tie, as core.paging walks: no OR for the planner to split.
    return queryset.filter(**{f"{time_field}__gte": when}).exclude(**{time_field: when, "pk__lte": pk})


def pattern_review_page(*, cursor: tuple[datetime, int] | None) -> Page:
    """The pattern reviews waiting for a staff decision, oldest first (complaints.selectors.patterns)."""
    reviews = list(_after(pattern_reviews_open(), "opened_at", cursor)[: PAGE_SIZE + 1])
    items = [
        Item(
            label=f"{review.business.name}: {review.get_scope_display().lower()}"
            + (f" ({review.key})" if review.key else ""),
            detail=f"{review.observed} this week against {review.baseline_mean:.1f} a week (p = {review.p_value:.1e})",
            url=reverse("admin:complaints_patternreview_change", args=[review.pk]),
            due_at=None,
            since=review.opened_at,
        )
        for review in reviews[:PAGE_SIZE]
    ]
    last = reviews[PAGE_SIZE - 1] if len(reviews) > PAGE_SIZE else None
    return Page(items, _cursor(last.opened_at, last.pk) if last else "")


def pattern_review_count() -> int:
    """How many pattern reviews wait for staff."""
    return pattern_reviews_open().count()


def open_complaints(*, staff_id: int | None = None) -> QuerySet[Complaint]:
    """Open complaints, or only those assigned to one staff member (via complaint_assigned_idx)."""
    queryset = Complaint.objects.filter(status__in=OPEN_STATES)
    return queryset.filter(assigned_to=staff_id) if staff_id is not None else queryset


def queue_page(key: str, *, cursor: tuple[datetime, int] | None, staff_id: int | None = None) -> Page | None:
    """One keyset page of a queue, oldest first, and the cursor of the next page if there is one."""
    if key in COMPLAINT_QUEUES:
        queryset = open_complaints(staff_id=staff_id).filter(status=COMPLAINT_QUEUES[key])
        rows = list(
            _after(queryset, "status_changed_at", cursor)
            .select_related("business", "assigned_to")
            .order_by("status_changed_at", "pk")[: PAGE_SIZE + 1]
        )
        items = [
            Item(
                label=f"#{row.number}",
                detail=f"{row.business_display_name} · {row.get_type_display()}",
                url=f"/admin/complaints/complaint/{row.pk}/change/",
                due_at=row.due_at,
                since=row.status_changed_at,
                assigned_to=row.assigned_to.email if row.assigned_to else "",
                paused=row.paused_at is not None,
            )
            for row in rows[:PAGE_SIZE]
        ]
        more = len(rows) > PAGE_SIZE
        last = rows[PAGE_SIZE - 1] if more else None
        return Page(items, _cursor(last.status_changed_at, last.pk) if last else "")
    if key == "patterns":
        return pattern_review_page(cursor=cursor)
    if key == "emails":
        emails = list(
            _after(OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED), "created_at", cursor).order_by(
                "created_at", "pk"
            )[: PAGE_SIZE + 1]
        )
        items = [
            Item(
                label=email.subject,
                detail=f"to {email.to}",
                url=f"/admin/core/outboundemail/{email.pk}/change/",
                due_at=None,
                since=email.created_at,
            )
            for email in emails[:PAGE_SIZE]
        ]
        last_email = emails[PAGE_SIZE - 1] if len(emails) > PAGE_SIZE else None
        return Page(items, _cursor(last_email.created_at, last_email.pk) if last_email else "")
    if key == "inbound":
        refused = InboundMessage.objects.filter(status=InboundMessage.Status.REFUSED)
        messages = list(_after(refused, "received_at", cursor).order_by("received_at", "pk")[: PAGE_SIZE + 1])
        items = [
            Item(
                label=message.subject or "(no subject)",
                detail=f"from {message.from_address}: {message.reason or message.reason_code}",
                url=f"/admin/inbound/inboundmessage/{message.pk}/change/",
                due_at=None,
                since=message.received_at,
            )
            for message in messages[:PAGE_SIZE]
        ]
        last_message = messages[PAGE_SIZE - 1] if len(messages) > PAGE_SIZE else None
        return Page(items, _cursor(last_message.received_at, last_message.pk) if last_message else "")
    return None


def complaint_queue_counts(*, staff_id: int | None = None) -> dict[str, int]:
    """How many complaints wait in each complaint queue (one query over every open complaint)."""
    by_status = dict(
        open_complaints(staff_id=staff_id)
        .filter(status__in=COMPLAINT_QUEUES.values())
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {key: by_status.get(status, 0) for key, status in COMPLAINT_QUEUES.items()}


def queue_counts(
    *, staff_id: int | None = None, complaint_counts: dict[str, int] | None = None
) -> dict[str, int | None]:
    """How many items wait in each queue: the complaint queues' (given, or one query), one query per other queue."""
    counts: dict[str, int | None] = dict(
        complaint_counts if complaint_counts is not None else complaint_queue_counts(staff_id=staff_id)
    )
    counts["patterns"] = pattern_review_count()
    counts["emails"] = OutboundEmail.objects.filter(state=OutboundEmail.State.FAILED).count()
    counts["inbound"] = InboundMessage.objects.filter(status=InboundMessage.Status.REFUSED).count()
    return counts


@dataclass
class AgeingRow:
    status: str
    status_label: str
    due_kind: str
    due_kind_label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


def ageing(*, now: datetime, staff_id: int | None = None) -> list[AgeingRow]:
    """Open cases by state and due kind, counted by how long they have been in that state (one query)."""
    buckets = {}
    for index, (_, low, high) in enumerate(AGE_BUCKETS):
        condition = Q(status_changed_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(status_changed_at__gt=now - timedelta(days=high))
        buckets[f"b{index}"] = Count("pk", filter=condition)
    rows = (
        open_complaints(staff_id=staff_id)
        .values("status", "due_kind")
        .annotate(**buckets)
        .order_by("status", "due_kind")
    )
    order = [status for status in Status.values if status in OPEN_STATES]
    result = [
        AgeingRow(
            status=row["status"],
            status_label=str(Status(row["status"]).label),
            due_kind=row["due_kind"],
            due_kind_label=str(DueKind(row["due_kind"]).label) if row["due_kind"] else "Paused or nothing due",
            counts=[row[f"b{index}"] for index in range(len(AGE_BUCKETS))],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (order.index(row.status), row.due_kind))


# In the key: a release that changes what is cached never reads an older release's copies.
OVERVIEW_SHAPE = 1


@dataclass(frozen=True)
class Overview:
    """The workbench's two aggregates over every open complaint, and when they were counted."""

    complaint_counts: dict[str, int]
    ageing_rows: list[AgeingRow]
    counted_at: datetime


def overview(*, now: datetime, staff_id: int | None = None) -> Overview:
    """The complaint counts by queue and the ageing view: counted now, or a copy kept a short time.

    The copy is at most `REDRESS_WORKBENCH_CACHE_SECONDS` old.

    Both aggregates read every open complaint (tens of milliseconds at 1,000,000 complaints,
    bench/README.md), so production keeps one copy per view (everyone's, or one staff member's)
    for a short time. A staff act moves the version in the key on (complaints.selectors.
    staff_queues), so whoever acted sees the counts change at once; other moves show when the
    copy expires, and the page gives `counted_at`. The queue's own rows are always read live.
    """
    seconds = staff_queues_cache_seconds()
    if seconds:
        key = f"redress:workbench:{OVERVIEW_SHAPE}:{staff_queues_version()}:{staff_id or 'all'}"
        stored = cache.get(key)
        if isinstance(stored, Overview) and stored.counted_at <= now < stored.counted_at + timedelta(seconds=seconds):
            return stored
    counted = Overview(complaint_queue_counts(staff_id=staff_id), ageing(now=now, staff_id=staff_id), now)
    if seconds:
        cache.set(key, counted, seconds)
    return counted
