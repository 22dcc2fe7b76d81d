"""The reads every signed-in page makes for its header, and the dashboard's businesses: prepared on
PostgreSQL (core.prepared), the same answers as the ORM's reads they stand for."""

import pytest
from django.utils import timezone

from accounts.selectors import businesses_list_of, businesses_of
from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Notification
from complaints.selectors.notifications import header_facts, notification_unread_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    rep, complainant, nobody = UserFactory(), UserFactory(), UserFactory()
    for name in ("Zed Repairs", "Acme Couriers", "Mid Market"):
        MembershipFactory(user=rep, business=BusinessFactory(name=name))
    MembershipFactory(user=UserFactory(), business=BusinessFactory(name="Not Theirs"))
    for message in ("One", "Two", "Three"):
        Notification.objects.create(user=complainant, message=message, url="/")
    Notification.objects.create(user=complainant, message="Seen", url="/", read_at=timezone.now())
    Notification.objects.create(user=rep, message="For the business", url="/")
    return rep, complainant, nobody


EXPECTED = {"rep": (True, 1), "complainant": (False, 3), "nobody": (False, 0)}


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "orm"])
def test_the_header_facts_and_the_unread_count(people, monkeypatch, prepared):
    if not prepared:
        monkeypatch.setattr("complaints.selectors.notifications.prepared_reads", lambda: False)
    rep, complainant, nobody = people
    assert {
        "rep": header_facts(user=rep),
        "complainant": header_facts(user=complainant),
        "nobody": header_facts(user=nobody),
    } == EXPECTED
    assert [notification_unread_count(user=user) for user in (rep, complainant, nobody)] == [1, 3, 0]


@pytest.mark.parametrize("prepared", [True, False], ids=["prepared", "orm"])
def test_the_businesses_of_a_representative_by_name(people, monkeypatch, prepared):
    if not prepared:
        monkeypatch.setattr("accounts.selectors.prepared_reads", lambda: False)
    rep, complainant, _ = people
    listed = businesses_list_of(user=rep)
    assert [business.name for business in listed] == ["Acme Couriers", "Mid Market", "Zed Repairs"]
    orm = list(businesses_of(user=rep))
    assert [[getattr(b, f.attname) for f in type(b)._meta.concrete_fields] for b in listed] == [
        [getattr(b, f.attname) for f in type(b)._meta.concrete_fields] for b in orm
    ]
    assert all(not business._state.adding for business in listed)
    assert businesses_list_of(user=complainant) == []


def test_a_read_after_a_change_sees_it(people):
    """Nothing is kept between reads: a prepared statement is a plan, not a result."""
    _, complainant, _ = people
    assert header_facts(user=complainant) == (False, 3)
    Notification.objects.filter(user=complainant).update(read_at=timezone.now())
    MembershipFactory(user=complainant, business=BusinessFactory(name="Now Theirs"))
    assert header_facts(user=complainant) == (True, 0)
    assert [b.name for b in businesses_list_of(user=complainant)] == ["Now Theirs"]
