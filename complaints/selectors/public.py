"""Reads for the public pages: a listed business, and one page of a long public list.

The published complaints themselves, with their thread, are read in disputes.selectors.
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from accounts.models import Business, Location
from core.errors import NotFound

# The read below is prepared once on each database connection (the driver's connection object: a
# reconnection is a new one, without the statement); planning the join took twice as long as running it.
PUBLIC_BUSINESS_STATEMENT = "redress_public_business"
_PREPARED_ON: weakref.WeakSet[Any] = weakref.WeakSet()


def business_get_public(*, slug: str) -> Business:
    """A listed business by slug, with its locations; unlisted and missing both raise NotFound.

    On PostgreSQL the rows are read by one plain statement (a join, prepared once per connection)
    and made into the same model instances the ORM would make (every column of both tables is a
    plain one, read as the driver gives it): a repeat visit to a profile (a `304`, or the kept
    page) is little more than this read, and building the ORM's queries and prefetch took
    several times as long as running them (bench/README.md). Elsewhere (SQLite, whose driver
    gives dates as text) the ORM reads them.
    """
    if connection.vendor != "postgresql":
        business = Business.objects.filter(slug=slug, is_listed=True).prefetch_related("locations").first()
        if business is None:
            raise NotFound("No such business.")
        return business
    sql, business_names, location_names = _public_business_sql()
    with connection.cursor() as cursor:
        if connection.connection not in _PREPARED_ON:
            cursor.execute(f"PREPARE {PUBLIC_BUSINESS_STATEMENT}(text) AS {sql % ('$1',)}")
            _PREPARED_ON.add(connection.connection)
        cursor.execute(f"EXECUTE {PUBLIC_BUSINESS_STATEMENT}(%s)", [slug])
        rows = cursor.fetchall()
    if not rows:
        raise NotFound("No such business.")
    width = len(business_names)
    business = Business.from_db(connection.alias, business_names, rows[0][:width])
    # A business without locations is one row whose location columns are all NULL, its id among them.
    location_id = width + location_names.index("id")
    locations = [
        Location.from_db(connection.alias, location_names, row[width:]) for row in rows if row[location_id] is not None
    ]
    # What prefetch_related("locations") leaves on the instance: `business.locations.all()` reads no more.
    prefetched = business.locations.all()
    prefetched._result_cache = locations
    prefetched._prefetch_done = True  # type: ignore[attr-defined]
    business._prefetched_objects_cache = {"locations": prefetched}  # type: ignore[attr-defined]
    return business


@functools.cache
def _public_business_sql() -> tuple[str, list[str], list[str]]:
    """One statement for the listed business by slug and its locations in their model's order, with
    the attribute names of the business's columns and of the locations'.

    A row a location, each with the business's columns in front; worked out once, as a 304 is
    little more than running it.
    """
    quote = connection.ops.quote_name
    location_fields = Location._meta.concrete_fields

    # Every name comes from the models' meta and every value is a parameter (bandit B608 is a false alarm).
    def columns(alias: str, fields: Any) -> str:
        return ", ".join(f"{alias}.{quote(field.column)}" for field in fields)

    business_table, location_table = quote(Business._meta.db_table), quote(Location._meta.db_table)
    location_business = quote(Location._meta.get_field("business").column)
    # City and address as the model orders them, then the id, so that equal ones keep one order.
    sql = (
        f"SELECT {columns('b', Business._meta.concrete_fields)}, {columns('l', location_fields)} "  # nosec B608
        f"FROM {business_table} b LEFT JOIN {location_table} l ON l.{location_business} = b.id "
        "WHERE b.slug = %s AND b.is_listed ORDER BY l.city, l.address, l.id"
    )
    return (
        sql,
        [field.attname for field in Business._meta.concrete_fields],
        [field.attname for field in location_fields],
    )


def page_rows(qs: QuerySet[Any], offset: int, limit: int) -> list[Any]:
    """One page of a list: its ids first (an index-only scan of complaint_published_idx), then its rows.

    Page 2,000 of a business with 100,000 complaints skips 20,000 index entries instead of
    20,000 table rows (bench/README.md). The ids are read into Python rather than nested as
    `id IN (SELECT ... OFFSET n)`: with stale statistics PostgreSQL could run that subquery once
    per outer row, which took minutes on a freshly loaded table.
    """
    ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    return list(qs.filter(pk__in=ids)) if ids else []
