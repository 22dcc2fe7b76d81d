"""The version of the staff workbench's cached aggregates (workbench.selectors.overview).

The workbench caches its complaint counts by queue and its ageing view for
`REDRESS_WORKBENCH_CACHE_SECONDS`: counting every open complaint costs tens of milliseconds at
1,000,000 complaints. A staff act (a move by staff, an assignment) moves this version on, at
once and after commit, so the member of staff who acted sees the counts change on the next
page; moves by complainants, businesses and the deadline sweep show once the copy expires,
and the page says how old its counts are.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from core.cache_counters import current_versions, incr_existing

VERSION_KEY = "redress:workbench-version"


def staff_queues_cache_seconds() -> int:
    """`REDRESS_WORKBENCH_CACHE_SECONDS`: 60 in production, 0 (no caching) elsewhere."""
    return int(getattr(settings, "REDRESS_WORKBENCH_CACHE_SECONDS", 0))


def staff_queues_version() -> int:
    """The current version, starting one where none is stored (core.cache_counters)."""
    return current_versions([VERSION_KEY])[VERSION_KEY]


def _bump() -> None:
    # No version yet: none is made; the next read starts one past every earlier one.
    incr_existing([VERSION_KEY])


def staff_queues_forget() -> None:
    """Move the version on now and again after commit (a read between the two caches the old counts under the first)."""
    if not staff_queues_cache_seconds():
        return
    _bump()
    transaction.on_commit(_bump)
