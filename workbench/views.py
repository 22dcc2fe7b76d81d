"""The staff workbench page: queues with counts, one queue's keyset page, the ageing view."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from complaints.selectors.staff_queues import staff_queues_cache_seconds

from .chart import ageing_chart
from .selectors import AGE_BUCKETS, QUEUE_KEYS, QUEUES, overview, parse_cursor, queue_counts, queue_page


def workbench(request: HttpRequest) -> HttpResponse:
    """Staff only; anyone else gets the same 404 as a page that does not exist."""
    if not (request.user.is_authenticated and request.user.is_staff):
        raise Http404
    key = request.GET.get("queue", "screening")
    if key not in QUEUE_KEYS:
        key = "screening"
    mine = request.GET.get("mine") == "1"
    staff_id = request.user.pk if mine else None
    now = timezone.now()
    aggregates = overview(now=now, staff_id=staff_id)
    counts = queue_counts(complaint_counts=aggregates.complaint_counts)
    page = queue_page(key, cursor=parse_cursor(request.GET.get("after", "")), staff_id=staff_id)
    rows = aggregates.ageing_rows
    context = {
        "queues": [(queue, counts[queue.key]) for queue in QUEUES],
        "current": next(queue for queue in QUEUES if queue.key == key),
        "page": page,
        "items": [(item, item.age(now).days) for item in page.items] if page else [],
        "mine": mine,
        "ageing_rows": rows,
        "buckets": [label for label, _, _ in AGE_BUCKETS],
        "chart": ageing_chart(rows),
        "now": now,
        "counted_at": aggregates.counted_at,
        "cache_seconds": staff_queues_cache_seconds(),
    }
    return render(request, "workbench/index.html", context)
