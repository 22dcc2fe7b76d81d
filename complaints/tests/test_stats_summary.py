"""The per-business summary of the day rows: kept in step by every move, read on a figures cache miss."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import BusinessFactory
from complaints.figures import _summary_row, business_figures
from complaints.models import BusinessStatsSummary, Status
from complaints.services import (
    business_stats_rebuild,
    complaint_enforce_deadline,
    stats_summary_recount,
    stats_summary_stored,
)
from complaints.tests.factories import complaint_in, file_complaint, staff_user
from complaints.tests.test_figures import make_mixed_record
from disputes.services import answer_submit, complaint_staff_act

pytestmark = pytest.mark.django_db


def summary_of(business):
    """The stored summary as a reader sees it today (moved on past days that left its windows)."""
    summary = stats_summary_stored(business_id=business.pk)
    return summary.counts, summary.months, summary.recent


def published(counts):
    return {key: value for key, value in counts.items() if key.startswith("n:")}


def test_summary_after_every_kind_of_move_equals_a_recount(business):
    make_mixed_record(business)
    counts, months, recent = summary_of(business)
    # Eight published in 36 months (one closed 37 months ago is not), seven of them in 12 months.
    assert published(counts) == {
        "n:resolved:delivery": 2,
        "n:resolved:billing_collection": 1,
        "n:answered:delivery": 1,
        "n:answered:product": 1,
        "n:unanswered:order": 1,
        "n:unresolved:product": 1,
        "n:unpursuable:order": 1,
    }
    assert sum(months.values()) == 8
    assert recent == 7
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)

    # Reopened by staff: it leaves the record.
    reopened = complaint_in(Status.RESOLVED, business=business, type="order")
    assert summary_of(business)[2] == 8
    complaint_staff_act(complaint_id=reopened.pk, staff=staff_user(), action="reopen", reason="Mistake")
    counts, _, recent = summary_of(business)
    assert "n:resolved:order" not in counts
    assert recent == 7
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)

    # Accepted late: Answered becomes Resolved, the same complaint counted once.
    late = complaint_in(Status.ANSWERED, business=business, type="order")
    answer_submit(complaint_id=late.pk, author=late.complainant, text="Accepting now.", verdict="accept")
    counts, _, recent = summary_of(business)
    assert counts["n:resolved:order"] == 1
    assert "n:answered:order" not in counts
    assert recent == 8
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)

    # Closed Unanswered by the deadline sweep.
    silent = file_complaint(business=business, transaction_date=None, type="delivery")
    complaint_staff_act(complaint_id=silent.pk, staff=staff_user(), action="forward", reason="Eligible")
    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        complaint_enforce_deadline(complaint_id=silent.pk)
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        complaint_enforce_deadline(complaint_id=silent.pk)
        counts, _, recent = summary_of(business)
        assert counts["n:unanswered:delivery"] == 1
        assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)
        figures = business_figures(business.pk)
    assert figures.total == 10  # eight, the late acceptance and the Unanswered one
    assert figures.by_status == {"resolved": 4, "answered": 2, "unanswered": 2, "unresolved": 1, "unpursuable": 1}
    # A full recount of the complaints writes the same summary.
    kept = summary_of(business)
    business_stats_rebuild(business_id=business.pk)
    assert summary_of(business) == kept


def test_figures_from_the_summary_equal_the_figures_from_the_day_rows(business, django_assert_num_queries):
    make_mixed_record(business)
    business_stats_rebuild(business_id=business.pk)  # its last writes were back in time
    with django_assert_num_queries(1):
        from_summary = business_figures(business.pk)
    with django_assert_num_queries(2):  # a moment before the summary's windows: the day rows are summed
        from_days = business_figures(business.pk, now=timezone.now() - timedelta(days=1))
    assert from_summary.total == from_days.total == 8
    assert from_summary.closed_last_12_months == from_days.closed_last_12_months == 7
    assert sum(month.count for month in from_summary.monthly) == 8
    assert from_summary.by_status_type == from_days.by_status_type
    assert from_summary.median_response_hours == from_days.median_response_hours


def test_days_that_leave_the_window_are_taken_away_when_read_and_at_the_next_move(business, django_assert_num_queries):
    make_mixed_record(business)  # seven closed today, one 400 days ago
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        with django_assert_num_queries(2):  # the summary, then the day rows that left its windows
            figures = business_figures(business.pk)
        assert figures.total == 8
        assert figures.closed_last_12_months == 0
        complaint_in(Status.RESOLVED, business=business, type="order")
        row = BusinessStatsSummary.objects.get(business=business)
        assert row.recent == 1
        assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)
        with django_assert_num_queries(1):
            assert business_figures(business.pk).closed_last_12_months == 1


def test_the_check_finds_a_summary_that_drifted_and_the_rebuild_mends_it(business, capsys):
    make_mixed_record(business)
    call_command("rebuild_business_stats", "--check")
    assert "Every summary agrees" in capsys.readouterr().out
    BusinessStatsSummary.objects.filter(business=business).update(recent=99)
    with pytest.raises(CommandError, match="1 summaries differ"):
        call_command("rebuild_business_stats", "--check")
    call_command("rebuild_business_stats", business.slug)
    assert BusinessStatsSummary.objects.get(business=business).recent == 7
    call_command("rebuild_business_stats", "--check")


def day_row_reads(act):
    """The statements that read day rows (not those that lock them to write) while `act` runs."""
    with CaptureQueriesContext(connection) as queries:
        act()
    return [
        query["sql"]
        for query in queries.captured_queries
        if 'FROM "complaints_businessstatsday"' in query["sql"] and "FOR UPDATE" not in query["sql"]
    ]


def closed_unpursuable(complaint):
    return lambda: complaint_staff_act(
        complaint_id=complaint.pk, staff=staff_user(), action="unpursuable", reason="Out of reach"
    )


def test_a_move_on_a_summary_of_todays_windows_reads_no_day_rows_but_those_it_writes(business):
    """Only the days that left a summary's windows are read back; while its windows are today's, none."""
    make_mixed_record(business)  # day rows across two years
    complaint_in(Status.RESOLVED, business=business, type="order")  # the summary's windows moved on to today's
    complaint = complaint_in(Status.AWAITING_BUSINESS, business=business, type="order")
    assert day_row_reads(closed_unpursuable(complaint)) == []
    assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)

    # A year on, the next move reads the days that left the recent window, and the summary agrees.
    with time_machine.travel(timezone.now() + timedelta(days=366), tick=False):
        later = complaint_in(Status.AWAITING_BUSINESS, business=business, type="order")
        assert len(day_row_reads(closed_unpursuable(later))) == 1
        assert stats_summary_stored(business_id=business.pk) == stats_summary_recount(business_id=business.pk)


def test_a_figures_miss_reads_the_summary_row_as_stored_in_one_statement(business):
    """The figures' read of the summary (a prepared statement on PostgreSQL) gives the row's own values."""
    BusinessStatsSummary.objects.create(
        business=business,
        since=date(2023, 12, 1),
        counts={"n:resolved:delivery": 3, "responded": 2, "h:5": 2},
        months={"2026-11": 3},
        recent_since=date(2025, 12, 1),
        recent=3,
    )
    with CaptureQueriesContext(connection) as queries:
        row = _summary_row(business.pk)
    assert len(queries.captured_queries) == 1
    assert row is not None
    assert (row.business_id, row.since, row.recent_since, row.recent) == (
        business.pk,
        date(2023, 12, 1),
        date(2025, 12, 1),
        3,
    )
    assert row.counts == {"n:resolved:delivery": 3, "responded": 2, "h:5": 2}
    assert row.months == {"2026-11": 3}
    assert _summary_row(BusinessFactory().pk) is None
