"""What every app's API tests share: a token client per user, and this worker's cache keys cleared."""

from django.conf import settings
from django.core.cache import cache
from knox.models import AuthToken
from rest_framework.test import APIClient


def clear_own_cache_keys() -> None:
    """Delete this worker's keys only: parallel workers share one Redis (see KEY_PREFIX in test settings)."""
    backend = cache._cache if hasattr(cache, "_cache") else None  # type: ignore[attr-defined]
    if backend is None or not hasattr(backend, "get_client"):
        cache.clear()
        return
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = backend.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _, token = AuthToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client
