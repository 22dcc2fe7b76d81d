"""The reads on PostgreSQL: who sees which complaint (and in which role), the dashboard, notifications."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import BusinessFactory, MembershipFactory, UserFactory
from complaints.models import Complaint, Notification, Status
from complaints.permissions import ROLE_FIELDS, roles_for
from complaints.selectors.dashboard import queue, queue_counts
from complaints.selectors.notifications import notification_unread_count
from complaints.selectors.visibility import (
    complaint_get_for_user,
    complaint_list_for_complainant,
    complaint_list_for_representative,
    complaint_visible_to,
)
from complaints.tests.factories import complaint_in, file_complaint
from complaints.workflow import Actor
from core.errors import NotFound

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
DAY = timedelta(days=1)


# Visibility: the rule of complaints.permissions, through the lists and through roles_for ------------


@pytest.fixture
def cases(complainant, other_complainant, business, representative):
    """Complaints of every kind a user may or may not see, by name."""
    elsewhere = BusinessFactory(name="Third Shop")
    return {
        "mine, being screened": file_complaint(complainant, business),
        "mine, forwarded": complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business),
        "mine, closed": complaint_in(Status.RESOLVED, complainant=complainant, business=business),
        "theirs, against the business": complaint_in(
            Status.AWAITING_CONSUMER, complainant=other_complainant, business=business
        ),
        "theirs, being screened": file_complaint(other_complainant, business),
        "theirs, elsewhere": complaint_in(Status.AWAITING_BUSINESS, complainant=other_complainant, business=elsewhere),
    }


def seen_by(user, cases) -> set[str]:
    visible = set(complaint_visible_to(user).values_list("pk", flat=True))
    return {name for name, complaint in cases.items() if complaint.pk in visible}


def test_each_user_sees_their_own_their_businesses_forwarded_or_everything_as_staff(
    cases, complainant, other_complainant, representative, other_representative, staff
):
    everything = set(cases)
    assert seen_by(complainant, cases) == {"mine, being screened", "mine, forwarded", "mine, closed"}
    assert seen_by(other_complainant, cases) == {
        "theirs, against the business",
        "theirs, being screened",
        "theirs, elsewhere",
    }
    assert seen_by(representative, cases) == {"mine, forwarded", "mine, closed", "theirs, against the business"}
    assert seen_by(other_representative, cases) == set()
    assert seen_by(staff, cases) == everything


def test_anonymous_and_deactivated_users_see_nothing(cases, complainant, staff):
    assert seen_by(AnonymousUser(), cases) == set()
    for user in (complainant, staff):
        user.is_active = False
        assert seen_by(user, cases) == set()
        assert roles_for(user, cases["mine, forwarded"]) == set()


def test_roles_for_names_each_role_the_list_would_grant(
    cases, complainant, other_complainant, representative, other_representative, staff
):
    def roles(user):
        return {name: roles_for(user, complaint) for name, complaint in cases.items() if roles_for(user, complaint)}

    assert roles(complainant) == {
        "mine, being screened": {Actor.COMPLAINANT},
        "mine, forwarded": {Actor.COMPLAINANT},
        "mine, closed": {Actor.COMPLAINANT},
    }
    assert roles(representative) == {
        "mine, forwarded": {Actor.REPRESENTATIVE},
        "mine, closed": {Actor.REPRESENTATIVE},
        "theirs, against the business": {Actor.REPRESENTATIVE},
    }
    assert roles(other_representative) == {}
    assert roles(staff) == {name: {Actor.STAFF} for name in cases}
    # Nobody gets a role on a complaint the lists hide from them, and the other way round.
    for user in (complainant, other_complainant, representative, other_representative):
        assert set(roles(user)) == seen_by(user, cases)


def test_a_complainant_who_represents_the_business_holds_both_roles(complainant, business):
    MembershipFactory(user=complainant, business=business)
    forwarded = complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    screened = file_complaint(complainant, business)
    assert roles_for(complainant, forwarded) == {Actor.COMPLAINANT, Actor.REPRESENTATIVE}
    assert roles_for(complainant, screened) == {Actor.COMPLAINANT}
    # Their own list holds what they filed, not what reached them as a representative.
    other = complaint_in(Status.AWAITING_BUSINESS, business=business)
    assert set(complaint_list_for_complainant(user=complainant)) == {forwarded, screened}
    assert other in complaint_visible_to(complainant)


def test_roles_for_asks_the_database_once(cases, representative, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert roles_for(representative, cases["theirs, against the business"]) == {Actor.REPRESENTATIVE}
    with django_assert_num_queries(0):
        assert roles_for(AnonymousUser(), cases["theirs, against the business"]) == set()


@pytest.mark.parametrize("number", ["", "1234567", "123456789", "abcdefgh", "1234567\x00", "١٢٣٤٥٦٧٨", "1234 567"])
def test_what_is_not_a_case_number_is_not_found_without_a_query(complainant, number, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(NotFound):
        complaint_get_for_user(user=complainant, number=number)


def test_missing_and_not_yours_are_both_not_found(cases, complainant, other_complainant):
    number = cases["mine, forwarded"].number
    assert complaint_get_for_user(user=complainant, number=number) == cases["mine, forwarded"]
    with pytest.raises(NotFound):
        complaint_get_for_user(user=other_complainant, number=number)
    with pytest.raises(NotFound):
        complaint_get_for_user(user=complainant, number="99999999")


def test_one_complaint_is_found_exactly_where_the_list_shows_it_and_a_refused_one_loads_nothing_more(
    cases, complainant, other_complainant, representative, other_representative, staff, django_assert_num_queries
):
    for user in (complainant, other_complainant, representative, other_representative, staff):
        for name, complaint in cases.items():
            if name in seen_by(user, cases):
                assert complaint_get_for_user(user=user, number=complaint.number, prefetch=("events",)) == complaint
            else:
                # One query, the row's: its thread is never read for someone who may not see it.
                with django_assert_num_queries(1), pytest.raises(NotFound):
                    complaint_get_for_user(user=user, number=complaint.number, prefetch=("events",))
    inactive = UserFactory(is_active=False)
    with django_assert_num_queries(0), pytest.raises(NotFound):
        complaint_get_for_user(user=inactive, number=cases["mine, forwarded"].number)


def test_the_representatives_list_takes_the_ids_as_values_not_a_subquery(cases, business):
    qs = complaint_list_for_representative(business_ids=[business.pk])
    assert {complaint.pk for complaint in qs} == {
        cases[name].pk for name in ("mine, forwarded", "mine, closed", "theirs, against the business")
    }
    # `business_id IN (<id>)` lets PostgreSQL walk complaint_dashboard_idx in due order (bench/README.md).
    sql = str(qs.query)
    assert f'"complaints_complaint"."business_id" IN ({business.pk})' in sql
    assert "accounts_membership" not in sql
    assert list(complaint_list_for_representative(business_ids=[])) == []


# The dashboard's reads -----------------------------------------------------------------------------------


def test_queue_counts_by_state_with_the_overdue_ones_and_the_total(business):
    for status in (Status.AWAITING_BUSINESS, Status.AWAITING_BUSINESS, Status.AWAITING_CONSUMER, Status.RESOLVED):
        complaint_in(status, business=business)
    file_complaint(business=business)  # not forwarded: not in the queue
    late = Complaint.objects.filter(business=business, status=Status.AWAITING_BUSINESS).first()
    Complaint.objects.filter(pk=late.pk).update(due_at=timezone.now() - DAY)
    Complaint.objects.filter(business=business, status=Status.RESOLVED).update(due_at=timezone.now() - DAY)

    counts = queue_counts(business_ids=[business.pk], now=timezone.now())

    assert counts.by_status == {"awaiting_business": 2, "awaiting_consumer": 1, "resolved": 1}
    assert counts.overdue == 1  # a closed complaint is never overdue
    assert counts.total == 4
    assert counts.states == [
        ("awaiting_business", "Awaiting business", 2),
        ("awaiting_consumer", "Awaiting consumer", 1),
        ("resolved", "Resolved", 1),
    ]


def test_the_queue_is_soonest_due_first_and_narrows_by_state_business_and_overdue(business, representative):
    second = BusinessFactory(name="Second Shop")
    now = timezone.now()
    a = complaint_in(Status.AWAITING_BUSINESS, business=business)
    b = complaint_in(Status.AWAITING_CONSUMER, business=business)
    c = complaint_in(Status.AWAITING_BUSINESS, business=second)
    d = complaint_in(Status.RESOLVED, business=business)
    for complaint, due_at in ((a, now + 3 * DAY), (b, now - DAY), (c, now + DAY), (d, None)):
        Complaint.objects.filter(pk=complaint.pk).update(due_at=due_at)
    ids = [business.pk, second.pk]

    def numbers(**narrowing):
        return [complaint.number for complaint in queue(business_ids=ids, now=now, **narrowing)]

    assert numbers() == [b.number, c.number, a.number, d.number]
    assert numbers(status="awaiting_business") == [c.number, a.number]
    assert numbers(business_id=second.pk) == [c.number]
    assert numbers(overdue_only=True) == [b.number]
    assert numbers(status="awaiting_business", business_id=business.pk) == [a.number]


def test_the_unread_count_is_the_users_own_unread_notifications(complainant, other_complainant):
    Notification.objects.create(user=complainant, message="One", url="/")
    Notification.objects.create(user=complainant, message="Two", url="/")
    Notification.objects.create(user=complainant, message="Read", url="/", read_at=timezone.now())
    Notification.objects.create(user=other_complainant, message="Theirs", url="/")
    assert notification_unread_count(user=complainant) == 2
    assert notification_unread_count(user=UserFactory()) == 0


def test_the_unread_count_is_answered_from_the_partial_index(complainant):
    # A long-standing user: thousands of notifications read, one not.
    Notification.objects.bulk_create(
        Notification(user=complainant, message=f"Old {i}", url="/", read_at=timezone.now()) for i in range(3000)
    )
    Notification.objects.create(user=complainant, message="New", url="/")
    with CaptureQueriesContext(connection) as counted:
        assert notification_unread_count(user=complainant) == 1
    (query,) = counted.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_notification")
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_unread_idx" in plan, plan


def test_the_prepared_fetch_gives_what_the_orms_fetch_gives(
    cases, complainant, other_complainant, representative, other_representative, staff, monkeypatch
):
    """On PostgreSQL the case page's fetch is one prepared read (visibility.CASE_FETCH): the same
    complaint, business, complainant and roles as the ORM's annotated fetch, for every user and case."""
    from complaints.selectors import visibility

    def fields(instance) -> list:
        return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]

    def fetch(user, number, *, prepared: bool):
        with monkeypatch.context() as patch:
            if not prepared:
                patch.setattr(visibility, "prepared_reads", lambda: False)
            try:
                return complaint_get_for_user(user=user, number=number)
            except NotFound:
                return None

    # A complaint against a business not in the directory: no business row to join.
    unknown = file_complaint(complainant, None, business_name="Unknown Courier Ltd")
    unknown.business_id = None
    Complaint.objects.filter(pk=unknown.pk).update(business=None)
    compared = 0
    for user in (complainant, other_complainant, representative, other_representative, staff):
        for complaint in [*cases.values(), unknown]:
            prepared, orm = fetch(user, complaint.number, prepared=True), fetch(user, complaint.number, prepared=False)
            assert (prepared is None) == (orm is None)
            if prepared is None:
                continue
            compared += 1
            assert fields(prepared) == fields(orm)
            assert [bool(getattr(prepared, name)) for name in ROLE_FIELDS] == [
                bool(getattr(orm, name)) for name in ROLE_FIELDS
            ]
            with CaptureQueriesContext(connection) as queries:
                business, person = prepared.business, prepared.complainant
            assert queries.captured_queries == []
            assert (business and fields(business)) == (orm.business and fields(orm.business))
            assert fields(person) == fields(orm.complainant)
    assert compared == 4 + 3 + 3 + 0 + len(cases) + 1  # each party's own, and staff every one
