"""What happens to the public record when a complaint changes state.

`complaint_status_changed` runs under the complaint's row lock inside every transition:

- entering a public closed state (DESIGN.md "Publication and redaction"), the description and
  every business response and customer answer get a masked copy beside the original, unless
  one is there already (staff may have edited it in admin; only `complaint_remask` overwrites
  it). Responses and answers added later (a late response after Unanswered, a late acceptance
  after Answered) are masked when the complaint closes again;
- the complaint's contribution to its business's figures is added to the `BusinessStatsDay`
  row of the day it closed, and taken away from the day it closed before when it leaves a
  public closed state (reopened, answered late, accepted late). Profiles sum those rows and
  never recount complaints; `business_stats_rebuild` recounts one business for operators;
- on PostgreSQL the full-text index of the published text is refreshed.

The publication window is counted in whole days: a complaint closed on day D (UTC) is published
until the end of the day 36 months after D (`REDRESS_PUBLICATION_MONTHS`), so the day rows
and the list agree exactly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import TextField, Value
from django.utils import timezone

from .models import BusinessStatsDay, Complaint, ComplaintEvent
from .redaction import mask_text
from .workflow import PUBLIC_CLOSED_STATES

if TYPE_CHECKING:
    from disputes.models import BusinessResponse, CustomerAnswer

ThreadItem = TypeVar("ThreadItem", "BusinessResponse", "CustomerAnswer")


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


def contribution(facts: Facts) -> dict[str, int]:
    """The counters one published complaint adds to its closing day.

    A response counts when it came before the complaint closed in this state. It was on time
    when it came by the first business due date (forwarded + REDRESS_BUSINESS_RESPONSE_DAYS).
    Its time is measured from when the business was told (or filed, if never forwarded).
    """
    counts = {f"n:{facts.status}:{facts.type}": 1}
    response = facts.first_response_at
    if response is not None and response <= facts.closed_at:
        counts["responded"] = 1
        told = facts.forwarded_at or facts.filed_at
        if response <= told + timedelta(days=settings.REDRESS_BUSINESS_RESPONSE_DAYS):
            counts["on_time"] = 1
        hours = max(0, int((response - told).total_seconds() // 3600))
        counts[f"h:{hours}"] = 1
    return counts


def _facts(complaint: Complaint, status: str, closed_at: datetime) -> Facts:
    return Facts(
        status=status,
        type=complaint.type,
        closed_at=closed_at,
        filed_at=complaint.filed_at,
        forwarded_at=complaint.forwarded_at,
        first_response_at=complaint.first_response_at,
    )


def _add(business_id: int, day: date, counts: dict[str, int], sign: int) -> None:
    row = BusinessStatsDay.objects.select_for_update().filter(business_id=business_id, day=day).first()
    if row is None:
        try:
            with transaction.atomic():
                row = BusinessStatsDay.objects.create(business_id=business_id, day=day, counts={})
        except IntegrityError:
            row = BusinessStatsDay.objects.select_for_update().get(business_id=business_id, day=day)
    merged = dict(row.counts)
    for key, value in counts.items():
        total = merged.get(key, 0) + sign * value
        if total > 0:
            merged[key] = total
        else:
            merged.pop(key, None)
    row.counts = merged
    row.save(update_fields=["counts"])
    _forget_figures(business_id)


def _forget_figures(business_id: int) -> None:
    # Now, and again after commit: a reader between the two would cache the figures before the change.
    from .figures import business_figures_forget

    business_figures_forget(business_id)
    transaction.on_commit(lambda: business_figures_forget(business_id))


def _closed_at_before(complaint: Complaint, status: str) -> datetime | None:
    """When the complaint last entered `status` (its closing time before this transition)."""
    return (
        ComplaintEvent.objects.filter(complaint_id=complaint.pk, to_status=status)
        .exclude(from_status=status)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


# Masking ---------------------------------------------------------------------------------------


def names_to_mask(complaint: Complaint) -> list[str]:
    """The complainant and everyone who speaks for the business: their names are masked."""
    from accounts.models import Membership, User
    from disputes.models import BusinessResponse

    # Ids first, then one lookup by primary key: an OR across the membership join made
    # PostgreSQL scan the whole user table (~70 ms with 200,000 users, see bench/README.md).
    people = {complaint.complainant_id}
    people.update(BusinessResponse.objects.filter(complaint_id=complaint.pk).values_list("author_id", flat=True))
    if complaint.business_id is not None:
        people.update(Membership.objects.filter(business_id=complaint.business_id).values_list("user_id", flat=True))
    return sorted(set(User.objects.filter(pk__in=people).values_list("name", flat=True)))


def complaint_mask(complaint: Complaint, *, force: bool = False) -> None:
    """Store masked copies of the description and thread; keep existing ones unless `force`."""
    from disputes.models import BusinessResponse, CustomerAnswer

    names = names_to_mask(complaint)
    now = timezone.now()
    if force or complaint.masked_at is None:
        complaint.description_masked = mask_text(complaint.description, names=names)
        complaint.masked_at = now
        Complaint.objects.filter(pk=complaint.pk).update(description_masked=complaint.description_masked, masked_at=now)
    responses = _mask_items(BusinessResponse.objects.filter(complaint_id=complaint.pk), names, force)
    BusinessResponse.objects.bulk_update(responses, ["text_masked"])
    answers = _mask_items(CustomerAnswer.objects.filter(complaint_id=complaint.pk), names, force)
    CustomerAnswer.objects.bulk_update(answers, ["text_masked"])


def _mask_items(items: Iterable[ThreadItem], names: list[str], force: bool) -> list[ThreadItem]:
    """Mask the items that have no masked copy yet (all of them if `force`); return the changed ones."""
    changed = []
    for item in items:
        if force or (item.text and not item.text_masked):
            item.text_masked = mask_text(item.text, names=names)
            changed.append(item)
    return changed


def complaint_remask(*, complaint_id: int) -> None:
    """Mask the originals again, replacing staff edits: the explicit re-mask staff ask for."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().select_related("complainant").get(pk=complaint_id)
        complaint_mask(complaint, force=True)
        complaint_refresh_search(complaint_id=complaint.pk)


def complaint_refresh_search(*, complaint_id: int) -> None:
    """Index the published text for full-text search (PostgreSQL; nothing elsewhere).

    Only consented, masked text is indexed, so a search never reveals withheld words. Call it
    after staff edit masked text.
    """
    if connection.vendor != "postgresql":
        return
    from disputes.models import BusinessResponse, CustomerAnswer

    complaint = Complaint.objects.only("pk", "publish_consent", "description_masked").get(pk=complaint_id)
    parts: list[str] = []
    if complaint.publish_consent:
        parts.append(complaint.description_masked)
        parts += BusinessResponse.objects.filter(complaint_id=complaint_id).values_list("text_masked", flat=True)
        parts += CustomerAnswer.objects.filter(complaint_id=complaint_id).values_list("text_masked", flat=True)
    document = "\n".join(part for part in parts if part)
    Complaint.objects.filter(pk=complaint_id).update(
        search_vector=SearchVector(Value(document, output_field=TextField()), config="english")
    )


# The hook the transition service calls ---------------------------------------------------------


def complaint_status_changed(complaint: Complaint, previous_status: str) -> None:
    """Keep the public record in step with the complaint (called under the row lock)."""
    if complaint.business_id is None:
        return
    if previous_status in PUBLIC_CLOSED_STATES:
        closed_before = _closed_at_before(complaint, previous_status)
        if closed_before is not None:
            facts = _facts(complaint, previous_status, closed_before)
            _add(complaint.business_id, utc_day(closed_before), contribution(facts), -1)
    if complaint.status in PUBLIC_CLOSED_STATES and complaint.closed_at is not None:
        complaint_mask(complaint)
        facts = _facts(complaint, complaint.status, complaint.closed_at)
        _add(complaint.business_id, utc_day(complaint.closed_at), contribution(facts), +1)
        complaint_refresh_search(complaint_id=complaint.pk)


def business_stats_rebuild(*, business_id: int) -> int:
    """Recount one business's day rows from its complaints; returns the complaints counted."""
    days: dict[date, dict[str, int]] = {}
    rows = (
        Complaint.objects.filter(business_id=business_id, status__in=PUBLIC_CLOSED_STATES, closed_at__isnull=False)
        .values_list("status", "type", "closed_at", "filed_at", "forwarded_at", "first_response_at")
        .iterator(chunk_size=5000)
    )
    counted = 0
    for status, type_, closed_at, filed_at, forwarded_at, first_response_at in rows:
        if closed_at is None:  # excluded by the filter; keeps the types honest
            continue
        counts = days.setdefault(utc_day(closed_at), {})
        for key, value in contribution(
            Facts(status, type_, closed_at, filed_at, forwarded_at, first_response_at)
        ).items():
            counts[key] = counts.get(key, 0) + value
        counted += 1
    with transaction.atomic():
        BusinessStatsDay.objects.filter(business_id=business_id).delete()
        BusinessStatsDay.objects.bulk_create(
            BusinessStatsDay(business_id=business_id, day=day, counts=counts) for day, counts in days.items()
        )
        _forget_figures(business_id)
    return counted
