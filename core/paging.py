"""Keyset paging: walk a query in (time, id) order a page at a time, each row at most once.

Used by every periodic job that selects by a due time (the deadline sweep, the outbox retry):
the cost of a page does not grow with how far the walk has gone, and a row whose time moves on
while the walk runs is not selected twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.db.models import QuerySet


def keyset_pages(queryset: QuerySet[Any], time_field: str, batch_size: int) -> Iterator[list[int]]:
    """Yield primary keys in (`time_field`, pk) order, `batch_size` at a time."""
    after: tuple[datetime, int] | None = None
    while True:
        page_qs = queryset
        if after is not None:
            page_qs = page_qs.filter(**{f"{time_field}__gte": after[0]}).exclude(
                **{time_field: after[0], "pk__lte": after[1]}
            )
        page = list(page_qs.order_by(time_field, "pk").values_list(time_field, "pk")[:batch_size])
        if not page:
            return
        yield [pk for _, pk in page]
        if len(page) < batch_size:
            return
        after = page[-1]
