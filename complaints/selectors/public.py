"""Reads for the public pages: a listed business, and one page of a long public list.

The published complaints themselves, with their thread, are read in disputes.selectors.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from accounts.models import Business, Location
from core.errors import NotFound
from core.prepared import Columns, PreparedRead, keep_prefetched, prepared_reads, split


def _public_business_sql() -> str:
    """One statement for the listed business by slug and its locations in their model's order.

    A row a location, each with the business's columns in front (a business without locations
    is one row whose location columns are all NULL).
    """
    quote = connection.ops.quote_name
    business_table, location_table = quote(Business._meta.db_table), quote(Location._meta.db_table)
    location_business = quote(Location._meta.get_field("business").column)
    # Every name comes from the models' meta and every value is a parameter (bandit B608 is a false alarm).
    # City and address as the model orders them, then the id, so that equal ones keep one order.
    return (
        f"SELECT {_BUSINESS.select('b')}, {_LOCATION.select('l')} "  # nosec B608
        f"FROM {business_table} b LEFT JOIN {location_table} l ON l.{location_business} = b.id "
        "WHERE b.slug = $1 AND b.is_listed ORDER BY l.city, l.address, l.id"
    )


_BUSINESS, _LOCATION = Columns(Business), Columns(Location)
# Planning the join took twice as long as running it: prepared once on each connection.
PUBLIC_BUSINESS = PreparedRead("redress_public_business", _public_business_sql)


def business_get_public(*, slug: str) -> Business:
    """A listed business by slug, with its locations; unlisted and missing both raise NotFound.

    On PostgreSQL the rows are read by one plain statement (a join, prepared once per connection:
    core.prepared) and made into the same model instances the ORM would make: a repeat visit to
    a profile (a `304`, or the kept page) is little more than this read, and building the ORM's
    queries and prefetch took several times as long as running them (bench/README.md).
    Elsewhere (SQLite) the ORM reads them.
    """
    if not prepared_reads():
        business = Business.objects.filter(slug=slug, is_listed=True).prefetch_related("locations").first()
        if business is None:
            raise NotFound("No such business.")
        return business
    rows = PUBLIC_BUSINESS.rows(slug)
    if not rows:
        raise NotFound("No such business.")
    business = _BUSINESS.instance(split(rows[0], _BUSINESS)[0])
    locations = [location for row in rows if (location := _LOCATION.instance_or_none(split(row, _BUSINESS)[1]))]
    # What prefetch_related("locations") leaves on the instance: `business.locations.all()` reads no more.
    keep_prefetched(business, "locations", locations)
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
