"""Reads. Every list starts from what the user may see; one complaint is fetched and authorised together."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q, QuerySet

from accounts.models import Business, Membership
from core.errors import NotFound

from .models import Complaint, Notification, Status

if TYPE_CHECKING:
    from accounts.models import User


def complaint_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints the user may open: their own, their businesses' (once forwarded), or all for staff."""
    qs = Complaint.objects.select_related("business", "complainant")
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_staff:
        return qs
    business_ids = Membership.objects.filter(user=user).values("business_id")
    return qs.filter(Q(complainant=user) | Q(business_id__in=business_ids, forwarded_at__isnull=False))


def complaint_get_for_user(*, user: User, number: str, prefetch: Sequence[Any] = ()) -> Complaint:
    """Fetch one complaint the user may see; missing and forbidden both raise NotFound.

    `prefetch` names related rows (the thread) to load with it.
    """
    # Case numbers are 8 ASCII digits; anything else (including a NUL byte PostgreSQL refuses) is not one.
    if not (len(number) == 8 and number.isascii() and number.isdigit()):
        raise NotFound("No such complaint.")
    complaint = complaint_visible_to(user).prefetch_related(*prefetch).filter(number=number).first()
    if complaint is None:
        raise NotFound("No such complaint.")
    return complaint


def complaint_list_for_complainant(*, user: User) -> QuerySet[Complaint]:
    return complaint_visible_to(user).filter(complainant=user)


def complaint_list_for_representative(*, user: User, business_id: int | None = None) -> QuerySet[Complaint]:
    # The ids as values, not a subquery: with `business_id IN (2)` PostgreSQL walks
    # complaint_dashboard_idx in due order and stops at the page; with the subquery it sorted all
    # 15,000 rows of a large business first (bench/README.md).
    business_ids = list(Membership.objects.filter(user=user).values_list("business_id", flat=True))
    qs = Complaint.objects.select_related("business", "complainant").filter(
        business_id__in=business_ids, forwarded_at__isnull=False
    )
    if business_id is not None:
        qs = qs.filter(business_id=business_id)
    return qs


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_list_for_user(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first (notification_user_idx)."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


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


# The public record (business profiles and the public API) -----------------------------------


def business_get_public(*, slug: str) -> Business:
    """A listed business by slug, with its locations; unlisted and missing both raise NotFound."""
    business = Business.objects.filter(slug=slug, is_listed=True).prefetch_related("locations").first()
    if business is None:
        raise NotFound("No such business.")
    return business


def page_rows(qs: QuerySet[Any], offset: int, limit: int) -> list[Any]:
    """One page of a list: its ids first (an index-only scan of complaint_published_idx), then its rows.

    Page 2,000 of a business with 100,000 complaints skips 20,000 index entries instead of
    20,000 table rows (bench/README.md). The ids are read into Python rather than nested as
    `id IN (SELECT ... OFFSET n)`: with stale statistics PostgreSQL could run that subquery once
    per outer row, which took minutes on a freshly loaded table.
    """
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    return list(qs.filter(pk__in=ids)) if ids else []
