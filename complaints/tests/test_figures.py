"""Business figures: kept in day rows at each transition, and always in agreement with the list."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints.figures import business_figures, monthly_chart
from complaints.models import BusinessStatsDay, ComplaintType, Status
from complaints.publication import months_before, window_start_day
from complaints.services import business_stats_rebuild, complaint_enforce_deadline
from complaints.tests.factories import complaint_in, file_complaint, representative_of, staff_user
from disputes.selectors import published_complaints
from disputes.services import answer_submit, complaint_staff_act, response_submit

pytestmark = pytest.mark.django_db


def day_rows(business):
    return {row.day: row.counts for row in BusinessStatsDay.objects.filter(business=business)}


def make_mixed_record(business):
    """Published complaints of every public state and several types, plus ones never published."""
    for status, type_ in [
        (Status.RESOLVED, "delivery"),
        (Status.RESOLVED, "delivery"),
        (Status.RESOLVED, "billing_collection"),
        (Status.ANSWERED, "delivery"),
        (Status.UNANSWERED, "order"),
        (Status.UNRESOLVED, "product"),
        (Status.UNPURSUABLE, "order"),
        (Status.REJECTED, "delivery"),
        (Status.WITHDRAWN, "order"),
        (Status.AWAITING_CONSUMER, "delivery"),
    ]:
        complaint_in(status, business=business, type=type_)
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        complaint_in(Status.ANSWERED, business=business, type="product", transaction_date=None)
    with time_machine.travel(timezone.now() - timedelta(days=37 * 31), tick=False):
        complaint_in(Status.RESOLVED, business=business, type="delivery", transaction_date=None)


def test_figures_agree_with_the_published_list_beneath_them(client, business):
    make_mixed_record(business)
    figures = business_figures(business.pk)
    listed = list(published_complaints(business))
    assert figures.total == len(listed) == 8
    # the 36-month window: the two older ones are in it, the one from 37 months ago is not
    assert figures.by_status == {"resolved": 3, "answered": 2, "unanswered": 1, "unresolved": 1, "unpursuable": 1}
    assert {k: v for k, v in figures.by_type.items() if v} == {
        "delivery": 3,
        "billing_collection": 1,
        "order": 2,
        "product": 2,
    }
    assert figures.by_status == {status: sum(c.status == status for c in listed) for status in figures.by_status}
    assert {k: v for k, v in figures.by_type.items() if v} == dict(Counter(c.type for c in listed))
    for status in ("resolved", "answered", "unanswered", "unresolved", "unpursuable"):
        for type_ in ComplaintType.values:
            assert (
                figures.count(status=status, type=type_)
                == published_complaints(business, status=status, type=type_).count()
            )
    assert figures.closed_last_12_months == 7
    assert sum(month.count for month in figures.monthly) == figures.total

    html = client.get(f"/businesses/{business.slug}/").content.decode()
    assert f'data-figure="total">{len(listed)}<' in html
    for status, count in figures.by_status.items():
        assert f'data-status="{status}">{count}<' in html
    assert html.count('id="complaint-') == len(listed)


def test_day_rows_kept_at_each_transition_equal_a_full_recount(business):
    make_mixed_record(business)
    reopened = complaint_in(Status.RESOLVED, business=business)
    complaint_staff_act(complaint_id=reopened.pk, staff=staff_user(), action="reopen", reason="Mistake")
    late = complaint_in(Status.ANSWERED, business=business)
    answer_submit(complaint_id=late.pk, author=late.complainant, text="Accepting now.", verdict="accept")
    kept = day_rows(business)
    assert business_stats_rebuild(business_id=business.pk) == 10
    assert day_rows(business) == kept


def test_on_time_share_and_median_time_to_first_response(business, complainant):
    rep = representative_of(business)
    start = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        quick = file_complaint(complainant, business, transaction_date=None)
        slow = file_complaint(complainant, business, transaction_date=None)
        silent = file_complaint(complainant, business, transaction_date=None)
        for complaint in (quick, slow, silent):
            complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="Eligible")
        clock.shift(timedelta(days=2))
        response_submit(complaint_id=quick.pk, author=rep, text="Refunded today.")
        answer_submit(complaint_id=quick.pk, author=complainant, text="Thanks.", verdict="accept")
        clock.shift(timedelta(days=13))  # day 15: the first due date has passed
        complaint_enforce_deadline(complaint_id=slow.pk)
        complaint_enforce_deadline(complaint_id=silent.pk)
        clock.shift(timedelta(days=5))  # day 20, within the final notice
        response_submit(complaint_id=slow.pk, author=rep, text="Sorry for the delay.")
        answer_submit(complaint_id=slow.pk, author=complainant, text="Fine.", verdict="accept")
        clock.shift(timedelta(days=15))
        complaint_enforce_deadline(complaint_id=silent.pk)
        figures = business_figures(business.pk)
    assert figures.total == 3
    assert figures.by_status[Status.UNANSWERED] == 1
    assert figures.counted == 3  # the Unanswered one counts against the business
    assert figures.responded == 2
    assert figures.answered_on_time == 1
    assert figures.response_percent == 67
    assert figures.on_time_percent == 33
    assert figures.median_response_hours == (48 + 480) / 2
    assert figures.median_response_display == "11 days"


def test_the_window_edge_is_a_whole_day_for_list_and_figures_alike(business):
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    first_day = months_before(now.date(), 36)
    inside = datetime.combine(first_day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=30)
    outside = inside - timedelta(hours=1)
    for moment in (inside, outside):
        with time_machine.travel(moment - timedelta(days=3), tick=False) as clock:
            complaint = file_complaint(business=business, transaction_date=None)
            complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="Eligible")
            clock.move_to(moment)
            complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="unpursuable", reason="Gone")
    with time_machine.travel(now, tick=False):
        assert window_start_day(36) == first_day
        figures = business_figures(business.pk)
        listed = list(published_complaints(business))
    assert figures.total == len(listed) == 1
    assert listed[0].closed_at == inside


def test_figures_take_one_query_whatever_the_volume(business, django_assert_num_queries):
    for status in (Status.RESOLVED, Status.ANSWERED, Status.UNANSWERED):
        complaint_in(status, business=business)
    with django_assert_num_queries(1):
        figures = business_figures(business.pk)
    assert figures.total == 3


def test_the_monthly_chart_is_inline_svg_with_a_title_and_description(client, business):
    complaint_in(Status.RESOLVED, business=business)
    figures = business_figures(business.pk)
    chart = monthly_chart(figures)
    assert len(chart.bars) == len(figures.monthly) >= 36
    assert chart.bars[-1].count == 1 and chart.bars[-1].height > 0
    assert all(bar.height == 0 for bar in chart.bars[:-1])
    html = client.get(f"/businesses/{business.slug}/").content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert '<title id="chart-title">Complaints closed per month</title>' in svg
    assert "1 complaint closed between" in svg
    assert svg.count("<rect") == len(chart.bars)


def test_the_chart_has_no_viewbox_so_its_labels_keep_their_css_size(client, business):
    complaint_in(Status.RESOLVED, business=business)
    html = client.get(f"/businesses/{business.slug}/").content.decode()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert "viewBox" not in svg and 'width="100%"' in svg and 'height="200"' in svg
    chart = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    # horizontal positions are percentages of the column, the value labels hang left of the plot
    assert all(x.endswith("%") for x in re.findall(r'<rect class="chart-bar" x="([^"]+)"', chart))
    assert re.findall(r'<text class="chart-axis" x="(-6)" y="[^"]+" dy="4" text-anchor="end">(\d+)</text>', chart) == [
        ("-6", "0"),
        ("-6", "1"),
    ]
