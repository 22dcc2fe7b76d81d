"""Redress's Redis cache: Django's, with one client per server kept instead of one made per call.

Django's Redis backend makes a new `redis.Redis` for every call (`get`, `get_many`, `incr`...),
and each one fills its table of about 170 reply handlers before it sends anything. A signed-in
dashboard makes three cache calls, and making their clients cost about a twentieth of the page
(bench/README.md, "Seventh round"). A `redis.Redis` holds no connection of its own (it takes one
from its server's pool for each command) and may be shared by threads, so one is kept per pool.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

DJANGO_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
REDIS_BACKEND = "core.cache.RedisCache"


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's client, keeping the `redis.Redis` it makes for each server's pool."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache (same settings, same keys and values) through `RedisCacheClient`."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient


def with_kept_clients(setting: dict[str, Any]) -> dict[str, Any]:
    """A cache setting (as `env.cache` reads CACHE_URL) with Django's Redis backend replaced by this one."""
    if setting.get("BACKEND") == DJANGO_REDIS_BACKEND:
        setting["BACKEND"] = REDIS_BACKEND
    return setting
