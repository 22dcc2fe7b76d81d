"""Throttle counters cleared around each test of the whole API (the `api` client is in the root conftest)."""

import pytest

from core.tests.api_client import clear_own_cache_keys


@pytest.fixture(autouse=True)
def _fresh_throttles():
    clear_own_cache_keys()
    yield
    clear_own_cache_keys()
