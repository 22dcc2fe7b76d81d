"""Reads for the public pages: a listed business, and one page of a long public list.

The published complaints themselves, with their thread, are read in disputes.selectors.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet

from accounts.models import Business, Location
from core.errors import NotFound


def business_get_public(*, slug: str) -> Business:
    """A listed business by slug, with its locations; unlisted and missing both raise NotFound.

    On PostgreSQL the two rows are read by two plain statements and made into the same model
    instances the ORM would make (every column of both tables is a plain one, read as the driver
    gives it): a repeat visit to a profile (a `304`, or the kept page) is little more than these
    two reads, and building the ORM's queries and prefetch took several times as long as running
    them (bench/README.md). Elsewhere (SQLite, whose driver gives dates as text) the ORM reads them.
    """
    if connection.vendor != "postgresql":
        business = Business.objects.filter(slug=slug, is_listed=True).prefetch_related("locations").first()
        if business is None:
            raise NotFound("No such business.")
        return business
    (business_sql, business_names), (locations_sql, location_names) = _public_business_sql()
    with connection.cursor() as cursor:
        cursor.execute(business_sql, [slug])
        row = cursor.fetchone()
        if row is None:
            raise NotFound("No such business.")
        business = Business.from_db(connection.alias, business_names, row)
        cursor.execute(locations_sql, [business.pk])
        locations = [Location.from_db(connection.alias, location_names, values) for values in cursor.fetchall()]
    # What prefetch_related("locations") leaves on the instance: `business.locations.all()` reads no more.
    prefetched = business.locations.all()
    prefetched._result_cache = locations
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    business._prefetched_objects_cache = {"locations": prefetched}  # type: ignore[attr-defined]
    return business


@functools.cache
def _public_business_sql() -> tuple[tuple[str, list[str]], tuple[str, list[str]]]:
    """The two statements, each with the attribute names of its columns: the listed business by
    slug, and its locations in their model's order. Worked out once: a 304 is little more than them."""
    quote = connection.ops.quote_name

    def attnames(model: type[Model]) -> list[str]:
        return [field.attname for field in model._meta.concrete_fields]

    # Every name comes from the models' meta and every value is a parameter (bandit B608 is a false alarm).
    def select(model: type[Model]) -> str:
        columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
        return f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # nosec B608

    business = f"{select(Business)} WHERE slug = %s AND is_listed"  # nosec B608
    # City and address as the model orders them, then the id, so that equal ones keep one order.
    locations = f"{select(Location)} WHERE business_id = %s ORDER BY city, address, id"  # nosec B608
    return (business, attnames(Business)), (locations, attnames(Location))


def page_rows(qs: QuerySet[Any], offset: int, limit: int) -> list[Any]:
    """One page of a list: its ids first (an index-only scan of complaint_published_idx), then its rows.

    Page 2,000 of a business with 100,000 complaints skips 20,000 index entries instead of
    20,000 table rows (bench/README.md). The ids are read into Python rather than nested as
    `id IN (SELECT ... OFFSET n)`: with stale statistics PostgreSQL could run that subquery once
    per outer row, which took minutes on a freshly loaded table.
    """
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    return list(qs.filter(pk__in=ids)) if ids else []
