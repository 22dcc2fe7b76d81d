"""The dashboard's counts by state, cached per business: every move shows at once.

The counts are kept under a version that the move writer moves on for every business whose
complaints a move touched (selectors.dashboard.queue_counts_forget). Each test reads the counts
through the cache between moves and compares them with the states written out and with a
recount that bypasses the cache.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from accounts.tests.factories import BusinessFactory
from complaints.models import Complaint, Status
from complaints.selectors.dashboard import queue_counts
from complaints.services import complaint_withdraw, complaints_enforce_deadlines
from complaints.tests.factories import complaint_in, file_complaint, representative_of, staff_user
from disputes.services import answer_submit, complaint_staff_act, response_submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counts_cached")]


@pytest.fixture
def counts_cached():
    with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=3600):
        yield


def cached(*business_ids: int) -> dict[str, int]:
    return queue_counts(business_ids=list(business_ids), now=timezone.now()).by_status


def recount(*business_ids: int) -> dict[str, int]:
    with override_settings(REDRESS_QUEUE_COUNTS_CACHE_SECONDS=0):
        return queue_counts(business_ids=list(business_ids), now=timezone.now()).by_status


def check(business_id: int, expected: dict[str, int]) -> None:
    assert cached(business_id) == expected
    assert recount(business_id) == expected
    # Read twice: the second read is the cached copy.
    assert cached(business_id) == expected


def test_every_move_of_a_complaint_shows_in_the_cached_counts_at_once(django_capture_on_commit_callbacks):
    business = BusinessFactory()
    rep = representative_of(business)
    staff = staff_user()
    with django_capture_on_commit_callbacks(execute=True):
        complaint = file_complaint(business=business)
    check(business.pk, {})  # screening: not yet the business's to see
    with django_capture_on_commit_callbacks(execute=True):
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
    check(business.pk, {"awaiting_business": 1})
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(complaint_id=complaint.pk, author=rep, text="We have restored access to the account.")
    check(business.pk, {"awaiting_consumer": 1})
    with django_capture_on_commit_callbacks(execute=True):
        answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Still held.", verdict="reject")
    check(business.pk, {"awaiting_business": 1})
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(complaint_id=complaint.pk, author=rep, text="The funds are held under our terms.")
        answer_submit(complaint_id=complaint.pk, author=complaint.complainant, text="Not for me.", verdict="reject")
    check(business.pk, {"staff_review": 1})
    with django_capture_on_commit_callbacks(execute=True):
        complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="open_mediation", reason="Both agreed")
    check(business.pk, {"in_mediation": 1})
    second = complaint_in(Status.AWAITING_BUSINESS, business=business)
    check(business.pk, {"in_mediation": 1, "awaiting_business": 1})
    with django_capture_on_commit_callbacks(execute=True):
        complaint_withdraw(complaint_id=second.pk, user=second.complainant, reason="Sorted it out myself")
    check(business.pk, {"in_mediation": 1, "withdrawn": 1})


def test_the_sweeps_page_of_moves_shows_in_the_cached_counts_of_every_business_it_touched():
    first, second, untouched = BusinessFactory(), BusinessFactory(), BusinessFactory()
    a = complaint_in(Status.AWAITING_BUSINESS, business=first)
    b = complaint_in(Status.AWAITING_CONSUMER, business=second)
    complaint_in(Status.AWAITING_BUSINESS, business=untouched)
    check(first.pk, {"awaiting_business": 1})
    check(second.pk, {"awaiting_consumer": 1})
    check(untouched.pk, {"awaiting_business": 1})
    assert cached(first.pk, second.pk, untouched.pk) == {"awaiting_business": 2, "awaiting_consumer": 1}
    Complaint.objects.filter(pk__in=[a.pk, b.pk]).update(due_at=timezone.now() - timedelta(minutes=1))
    enforced = complaints_enforce_deadlines(complaint_ids=[a.pk, b.pk])
    assert len(enforced.events) == 2
    # First notice passed: a second notice, still awaiting the business; no answer: Answered.
    assert Complaint.objects.get(pk=a.pk).status == Status.AWAITING_BUSINESS
    check(second.pk, {"answered": 1})
    check(first.pk, {"awaiting_business": 1})
    check(untouched.pk, {"awaiting_business": 1})
    assert cached(first.pk, second.pk, untouched.pk) == {"awaiting_business": 2, "answered": 1}


def test_a_cached_overdue_count_holds_only_until_the_next_due_date_it_saw():
    business = BusinessFactory()
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business)
    due = Complaint.objects.get(pk=complaint.pk).due_at
    now = timezone.now()
    assert queue_counts(business_ids=[business.pk], now=now).overdue == 0
    assert queue_counts(business_ids=[business.pk], now=due - timedelta(seconds=1)).overdue == 0
    # No move: only the clock passes the due date, and the copy is counted again.
    counts = queue_counts(business_ids=[business.pk], now=due + timedelta(seconds=1))
    assert (counts.by_status, counts.overdue) == ({"awaiting_business": 1}, 1)
    later = queue_counts(business_ids=[business.pk], now=due + timedelta(days=1))
    assert (later.by_status, later.overdue) == ({"awaiting_business": 1}, 1)


def test_a_cached_page_of_counts_reads_nothing(django_assert_num_queries):
    business = BusinessFactory()
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    now = timezone.now()
    queue_counts(business_ids=[business.pk], now=now)
    with django_assert_num_queries(0):
        assert queue_counts(business_ids=[business.pk], now=now).by_status == {"awaiting_business": 1}


def test_a_lost_version_starts_past_every_stored_one():
    business = BusinessFactory()
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    check(business.pk, {"awaiting_business": 1})
    # The cache evicted the version but kept an old copy of the counts: the new version is newer.
    cache.delete(f"redress:queue-version:{business.pk}")
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    check(business.pk, {"awaiting_business": 2})


def test_a_cached_copy_of_another_shape_is_counted_again():
    from complaints.selectors.dashboard import _counts_key, _versions

    business = BusinessFactory()
    complaint_in(Status.AWAITING_BUSINESS, business=business)
    version = _versions([business.pk])[business.pk]
    cache.set(_counts_key(business.pk, version), {"awaiting_business": 7})
    check(business.pk, {"awaiting_business": 1})
