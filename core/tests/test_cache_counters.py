"""incr_existing moves on the counters that exist, in one round trip, and leaves missing ones missing."""

import pytest
from django.core.cache import cache

from core.cache_counters import incr_existing

pytestmark = pytest.mark.django_db


def test_existing_counters_move_on_and_missing_ones_stay_missing():
    cache.delete_many(["counter:a", "counter:b", "counter:missing"])
    cache.set("counter:a", 41, timeout=None)
    cache.set("counter:b", 7, timeout=None)
    assert incr_existing(["counter:a", "counter:missing", "counter:b"]) == 2
    assert cache.get_many(["counter:a", "counter:b", "counter:missing"]) == {"counter:a": 42, "counter:b": 8}
    assert incr_existing([]) == 0


def test_a_counter_given_twice_moves_on_twice():
    cache.set("counter:twice", 1, timeout=None)
    assert incr_existing(["counter:twice", "counter:twice"]) == 2
    assert cache.get("counter:twice") == 3


def test_current_versions_reads_stored_ones_and_starts_missing_ones_from_the_clock():
    import time

    from core.cache_counters import current_versions

    cache.delete_many(["version:kept", "version:new"])
    cache.set("version:kept", 5, timeout=None)
    before = time.time_ns()
    versions = current_versions(["version:kept", "version:new"])
    assert versions["version:kept"] == 5
    assert versions["version:new"] >= before
    # Started once: read again, it is the same, and it is stored.
    assert current_versions(["version:new"]) == {"version:new": versions["version:new"]}
