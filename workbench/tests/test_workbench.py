"""The staff workbench: who may see it, its queues and counts, keyset pages, assignment, ageing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from accounts.tests.factories import BusinessFactory, UserFactory
from complaints.models import Assignment, Complaint, PatternReview, Status
from complaints.services import complaint_assign
from complaints.tests.factories import complaint_in, file_complaint, staff_user
from core.errors import InvalidInput, NotAllowed
from core.tests.api_client import client_for
from workbench import selectors
from workbench.chart import ageing_chart
from workbench.selectors import AgeingRow, ageing, parse_cursor, queue_counts, queue_page

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
# Queries of one workbench page, whatever the number of complaints: session and user (2), the
# staff member's second-factor devices (2), the complaint counts by queue (1), open pattern
# reviews (1), failed e-mails (1), refused inbound mail (1), the page of the queue (1), the ageing
# view (1), and the base page's
# header: whether the user represents a business and their unread count, in one read (1).
WORKBENCH_QUERIES = 11


def test_the_workbench_is_404_for_everyone_but_staff(client):
    assert client.get("/staff/workbench/").status_code == 404
    client.force_login(UserFactory())
    assert client.get("/staff/workbench/").status_code == 404


def test_staff_see_the_queues_with_counts_due_dates_and_ages(client):
    with time_machine.travel(T0, tick=False) as clock:
        screening = file_complaint()
        complaint_in(Status.STAFF_REVIEW)
        clock.move_to(T0 + timedelta(days=3))
        staff = staff_user()
        client.force_login(staff)
        page = client.get("/staff/workbench/").content.decode()
    assert 'data-count="screening">1<' in page
    assert 'data-count="rulings">1<' in page
    assert 'data-count="mediation">0<' in page
    assert 'data-count="patterns">0<' in page
    assert f"#{screening.number}" in page
    assert "12 Mar 2026, 09:30 UTC" in page  # screening due two days after filing
    assert "3 days (since 10 Mar 2026)" in page


def test_the_page_costs_the_same_queries_for_2_complaints_as_for_30(client, django_assert_num_queries):
    client.force_login(staff_user())
    for _ in range(2):
        file_complaint()
    with django_assert_num_queries(WORKBENCH_QUERIES):
        assert client.get("/staff/workbench/").status_code == 200
    for _ in range(28):
        file_complaint()
    with django_assert_num_queries(WORKBENCH_QUERIES):
        assert client.get("/staff/workbench/?queue=screening").status_code == 200


def test_a_queue_is_paged_by_keyset_each_complaint_once_oldest_first(settings, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    filed = []
    with time_machine.travel(T0, tick=False) as clock:
        for minute in range(7):
            clock.move_to(T0 + timedelta(minutes=minute // 2))  # pairs share a time: the id breaks the tie
            filed.append(f"#{file_complaint().number}")
    seen, cursor, pages = [], None, 0
    while True:
        page = queue_page("screening", cursor=cursor)
        assert page is not None
        seen += [item.label for item in page.items]
        pages += 1
        if not page.next_cursor:
            break
        cursor = parse_cursor(page.next_cursor)
    assert (seen, pages) == (filed, 3)


def test_a_cursor_that_is_not_one_reads_as_the_first_page(client):
    assert parse_cursor("nonsense") is None
    assert parse_cursor("2026-03-10T09:30:00+00:00~x") is None
    assert parse_cursor("2026-03-10T09:30:00+00:00~12") == (T0, 12)
    client.force_login(staff_user())
    assert client.get("/staff/workbench/?queue=nope&after=bad~x").status_code == 200


def test_assigned_to_me_shows_only_my_cases_and_each_assignment_is_recorded():
    me, colleague = staff_user(), UserFactory(is_staff=True)
    mine, theirs, _ = file_complaint(), file_complaint(), file_complaint()
    complaint_assign(complaint_id=mine.pk, staff=me, assignee=me, reason="Taking it")
    complaint_assign(complaint_id=theirs.pk, staff=me, assignee=colleague, reason="Knows the business")
    page = queue_page("screening", cursor=None, staff_id=me.pk)
    assert page is not None
    assert [item.label for item in page.items] == [f"#{mine.number}"]
    assert queue_counts(staff_id=me.pk)["screening"] == 1
    assert queue_counts()["screening"] == 3
    assert list(Assignment.objects.filter(complaint=theirs).values_list("assigned_to", "assigned_by", "reason")) == [
        (colleague.pk, me.pk, "Knows the business")
    ]
    complaint_assign(complaint_id=mine.pk, staff=me, assignee=None, reason="Back to the pool")
    assert Complaint.objects.get(pk=mine.pk).assigned_to is None
    assert Assignment.objects.filter(complaint=mine).count() == 2  # history kept


def test_only_staff_assign_and_only_to_staff():
    complaint = file_complaint()
    with pytest.raises(NotAllowed):
        complaint_assign(complaint_id=complaint.pk, staff=UserFactory(), assignee=None)
    with pytest.raises(InvalidInput) as error:
        complaint_assign(complaint_id=complaint.pk, staff=staff_user(), assignee=UserFactory())
    assert error.value.field_errors == {"assigned_to": ["Choose an active staff member."]}


def test_the_admin_assign_to_me_action_and_filter(client):
    staff = staff_user()
    complaint = file_complaint()
    file_complaint()
    client.force_login(staff)
    response = client.post(
        "/admin/complaints/complaint/", {"action": "assign_to_me", "_selected_action": [complaint.pk]}, follow=True
    )
    assert f"Assigned to you: #{complaint.number}." in response.content.decode()
    listed = client.get("/admin/complaints/complaint/?assigned=me").content.decode()
    assert listed.count('class="field-number"') == 1


def test_the_ageing_view_counts_open_cases_by_state_due_kind_and_days_in_state():
    with time_machine.travel(T0, tick=False) as clock:
        file_complaint()
        clock.move_to(T0 + timedelta(days=10))
        file_complaint()
        complaint_in(Status.AWAITING_BUSINESS)
        rows = ageing(now=T0 + timedelta(days=10))
    assert [(row.status, row.due_kind, row.counts) for row in rows] == [
        ("submitted", "screening", [1, 0, 1, 0, 0]),
        ("awaiting_business", "business_first", [1, 0, 0, 0, 0]),
    ]


def test_the_ageing_chart_scales_to_the_largest_row():
    rows = [
        AgeingRow("submitted", "Submitted", "screening", "Screening", [2, 0, 2, 0, 0]),
        AgeingRow("staff_review", "Staff review", "staff_ruling", "Staff ruling", [1, 1, 0, 0, 0]),
    ]
    chart = ageing_chart(rows)
    # The largest row (4) fills the width, the other (2) half of it; labels sit above the bars.
    assert [(s.x, s.width) for s in chart.bars[0].segments] == [(0.0, 50.0), (50.0, 50.0)]
    assert [(s.x, s.width) for s in chart.bars[1].segments] == [(0.0, 25.0), (25.0, 25.0)]
    assert [(bar.y, bar.bar_y) for bar in chart.bars] == [(4, 22), (48, 66)]
    assert chart.height == 96


def test_staff_see_the_assignment_on_the_case_page_and_in_the_api_and_parties_do_not(client):
    staff = staff_user()
    complaint = file_complaint()
    complaint_assign(complaint_id=complaint.pk, staff=staff, assignee=staff, reason="Mine")
    client.force_login(staff)
    page = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "<strong data-assigned-to>Screening Staff</strong>" in page
    client.force_login(complaint.complainant)
    assert "data-assigned-to" not in client.get(f"/complaints/{complaint.number}/").content.decode()
    assert client_for(staff).get(f"/api/v1/complaints/{complaint.number}/").json()["assigned_to"] == (
        "screening@redress.example"
    )
    assert (
        client_for(complaint.complainant).get(f"/api/v1/complaints/{complaint.number}/").json()["assigned_to"] is None
    )


def test_open_pattern_reviews_are_a_queue_linking_to_their_decision(client):
    business = BusinessFactory(name="Gigwork Market")
    with time_machine.travel(T0, tick=False):
        review = PatternReview.objects.create(
            business=business,
            scope=PatternReview.Scope.TYPE,
            key="account_suspension",
            week=T0.date(),
            window_start=T0 - timedelta(days=7),
            window_end=T0,
            observed=11,
            baseline_total=14,
            baseline_mean=1.2,
            p_value=4.7e-08,
        )
        PatternReview.objects.create(
            business=business,
            scope=PatternReview.Scope.OVERALL,
            week=(T0 - timedelta(days=7)).date(),
            window_start=T0 - timedelta(days=14),
            window_end=T0 - timedelta(days=7),
            observed=9,
            baseline_total=12,
            baseline_mean=1.0,
            p_value=1e-05,
            status=PatternReview.Status.DISMISSED,
        )
    client.force_login(staff_user())
    page = client.get("/staff/workbench/?queue=patterns").content.decode()
    assert 'data-count="patterns">1<' in page
    assert "Gigwork Market: " in page
    assert "11 this week against 1.2 a week (p = 4.7e-08)" in page
    assert f"/admin/complaints/patternreview/{review.pk}/change/" in page
    assert "9 this week" not in page  # a dismissed review has left the queue
