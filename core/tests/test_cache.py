"""core.cache.RedisCache: Django's Redis cache with one client kept per server, on the test suite's real Redis."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from core.cache import DJANGO_REDIS_BACKEND, REDIS_BACKEND, RedisCache, with_kept_clients


def test_the_suite_runs_on_the_kept_client_cache():
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    assert isinstance(caches["default"], RedisCache)


def test_one_client_serves_every_call_to_a_server():
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any-key") is client


def test_values_round_trip_as_with_djangos_client():
    cache.delete_many(["kept:a", "kept:b", "kept:n"])
    cache.set("kept:a", {"answer": 42, "words": ["late", "on time"]})
    cache.set_many({"kept:b": (1, 2), "kept:n": 5})
    assert cache.get("kept:a") == {"answer": 42, "words": ["late", "on time"]}
    assert cache.get_many(["kept:a", "kept:b", "kept:missing"]) == {
        "kept:a": {"answer": 42, "words": ["late", "on time"]},
        "kept:b": (1, 2),
    }
    assert cache.incr("kept:n", 3) == 8
    assert cache.add("kept:n", 0) is False
    cache.delete("kept:a")
    assert cache.get("kept:a", "gone") == "gone"


def test_threads_share_the_client_safely():
    """Each thread has its own cache object; calls from many threads at once all get their own values back."""
    results: dict[int, object] = {}

    def work(n: int) -> None:
        own = caches.create_connection("default")
        for i in range(50):
            own.set(f"kept:thread:{n}", (n, i))
            results[n] = own.get(f"kept:thread:{n}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: (n, 49) for n in range(6)}


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        (DJANGO_REDIS_BACKEND, REDIS_BACKEND),
        ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.locmem.LocMemCache"),
        ("django.core.cache.backends.dummy.DummyCache", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_only_djangos_redis_backend_is_replaced(backend, expected):
    setting = with_kept_clients({"BACKEND": backend, "LOCATION": "somewhere"})
    assert setting == {"BACKEND": expected, "LOCATION": "somewhere"}
