"""Reads for the public pages: a listed business, and one page of a long public list.

The published complaints themselves, with their thread, are read in disputes.selectors.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from accounts.models import Business
from core.errors import NotFound


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
