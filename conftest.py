"""Fixtures shared by every test: users in each role, a business, and an API client."""

import pytest

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from core.tests.api_client import clear_own_cache_keys, client_for
from tests.production_server import production_server  # noqa: F401 - a fixture for the attack tests


@pytest.fixture
def complainant(db):
    return UserFactory(name="Dana Whitfield", email="dana@example.com")


@pytest.fixture
def business(db):
    return BusinessFactory(name="Gigwork Market", notice_email="disputes@gigwork.example")


@pytest.fixture
def representative(db, business):
    user = UserFactory(name="Ravi Patel", email="ravi@gigwork.example")
    MembershipFactory(user=user, business=business)
    return user


@pytest.fixture
def staff(db):
    return UserFactory(name="Sam Staff", email="sam@redress.example", is_staff=True)


@pytest.fixture
def other_complainant(db):
    return UserFactory(name="Olu Other", email="olu@example.com")


@pytest.fixture
def other_representative(db):
    user = UserFactory(name="Una Elsewhere", email="una@elsewhere.example")
    MembershipFactory(user=user, business=BusinessFactory(name="Elsewhere Ltd"))
    return user


@pytest.fixture
def api():
    """`api(user)`: an API client signed in with the user's token (`api()`: anonymous).

    Throttle counters and cached figures of this worker are cleared around the test.
    """
    clear_own_cache_keys()
    yield client_for
    clear_own_cache_keys()
