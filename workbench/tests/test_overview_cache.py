"""The workbench's counts and ageing view, cached for a short time: staff acts show at once.

Counting every open complaint costs tens of milliseconds at 1,000,000 complaints, so production
keeps the two aggregates for `REDRESS_WORKBENCH_CACHE_SECONDS`. These tests read them through
the cache, then check what a staff act, an assignment, a party's move and the clock do to the
copy, against counts written out.
"""

import secrets
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import override_settings

from complaints.models import Status
from complaints.selectors.staff_queues import VERSION_KEY
from complaints.services import complaint_assign
from complaints.tests.factories import complaint_in, file_complaint, staff_user
from disputes.services import complaint_staff_act
from workbench.selectors import overview

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cached_for_a_minute")]

T0 = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def cached_for_a_minute():
    # A version of this test's own: the clock is frozen, so a version started from it would be
    # the same in every test, and the cache outlives a test.
    cache.set(VERSION_KEY, secrets.randbelow(2**62), timeout=None)
    with override_settings(REDRESS_WORKBENCH_CACHE_SECONDS=60):
        yield


def counts(staff_id=None, now=None):
    return overview(now=now or datetime.now(UTC), staff_id=staff_id).complaint_counts


def test_a_staff_act_shows_in_the_counts_at_once(django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        staff = staff_user()
        complaint = file_complaint()
        complaint_in(Status.STAFF_REVIEW)
        assert counts(now=T0) == {"screening": 1, "rulings": 1, "mediation": 0}
        with django_capture_on_commit_callbacks(execute=True):
            complaint_staff_act(complaint_id=complaint.pk, staff=staff, action="forward", reason="Eligible")
        assert counts(now=T0) == {"screening": 0, "rulings": 1, "mediation": 0}


def test_moves_by_others_show_when_the_copy_expires_and_the_page_says_how_old_it_is(client):
    with time_machine.travel(T0, tick=False) as clock:
        staff = staff_user()
        file_complaint()
        assert counts(now=T0)["screening"] == 1
        clock.move_to(T0 + timedelta(seconds=30))
        file_complaint()  # a complainant's move: the copy is kept
        assert counts(now=T0 + timedelta(seconds=30))["screening"] == 1
        client.force_login(staff)
        page = client.get("/staff/workbench/").content.decode()
        assert 'data-count="screening">1<' in page
        assert "Counts and ageing as of 10 Mar 2026, 09:30 UTC, counted at most 60 seconds ago" in page
        clock.move_to(T0 + timedelta(seconds=61))
        page = client.get("/staff/workbench/").content.decode()
        assert 'data-count="screening">2<' in page
        assert "Counts and ageing as of 10 Mar 2026, 09:31 UTC. The list of each queue is always current." in page


def test_the_queue_list_is_read_live_while_the_counts_are_cached(client):
    with time_machine.travel(T0, tick=False):
        client.force_login(staff_user())
        first = file_complaint()
        client.get("/staff/workbench/")
        second = file_complaint()
        page = client.get("/staff/workbench/").content.decode()
    assert 'data-count="screening">1<' in page
    assert f"#{first.number}" in page and f"#{second.number}" in page


def test_an_assignment_shows_in_assigned_to_me_at_once(django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        me = staff_user()
        complaint = file_complaint()
        assert counts(staff_id=me.pk, now=T0)["screening"] == 0
        with django_capture_on_commit_callbacks(execute=True):
            complaint_assign(complaint_id=complaint.pk, staff=me, assignee=me, reason="Taking it")
        assert counts(staff_id=me.pk, now=T0)["screening"] == 1
        assert counts(now=T0)["screening"] == 1


def test_the_ageing_view_is_cached_with_the_counts():
    with time_machine.travel(T0, tick=False):
        file_complaint()
        first = overview(now=T0, staff_id=None)
        again = overview(now=T0 + timedelta(seconds=59), staff_id=None)
        later = overview(now=T0 + timedelta(days=4), staff_id=None)
    assert [row.counts for row in first.ageing_rows] == [[1, 0, 0, 0, 0]]
    assert again.counted_at == T0
    assert [row.counts for row in again.ageing_rows] == [[1, 0, 0, 0, 0]]
    # Past the minute the view is counted again, with the case now 4 days in its state.
    assert later.counted_at == T0 + timedelta(days=4)
    assert [row.counts for row in later.ageing_rows] == [[0, 1, 0, 0, 0]]


def test_with_the_cache_off_every_read_counts_again():
    with override_settings(REDRESS_WORKBENCH_CACHE_SECONDS=0), time_machine.travel(T0, tick=False):
        file_complaint()
        assert counts(now=T0)["screening"] == 1
        file_complaint()
        assert counts(now=T0)["screening"] == 2


def test_a_page_with_its_aggregates_kept_reads_two_queries_fewer(client, django_assert_num_queries):
    client.force_login(staff_user())
    file_complaint()
    client.get("/staff/workbench/")
    # 11 queries counted (test_workbench.WORKBENCH_QUERIES) less the counts by queue and the ageing view.
    with django_assert_num_queries(9):
        assert client.get("/staff/workbench/").status_code == 200
