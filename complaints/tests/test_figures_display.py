"""How a business's figures are shown: the display rules and the chart's geometry, no database."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from complaints.figures import (
    CLOSED_STATE_DEFINITIONS,
    PUBLIC_STATUS_ORDER,
    RECENT_MONTHS,
    Bar,
    BusinessFigures,
    MonthCount,
    _cache_key,
    _median,
    _month_start,
    monthly_chart,
)


def figures(**overrides) -> BusinessFigures:
    values = {
        "business_id": 7,
        "as_of": datetime(2026, 3, 1, tzinfo=UTC),
        "window_months": 36,
        "total": 6,
        "closed_last_12_months": 6,
        "by_status": {"resolved": 4, "answered": 2, "unanswered": 0, "unresolved": 0, "unpursuable": 0},
        "by_type": {"delivery": 5, "order": 1},
        "responded": 0,
        "answered_on_time": 0,
        "counted": 0,
        "median_response_hours": None,
        "monthly": (),
        "by_status_type": {("resolved", "delivery"): 3, ("resolved", "order"): 1, ("answered", "delivery"): 2},
    }
    return BusinessFigures(**{**values, **overrides})


def test_the_public_states_in_display_order_and_their_definitions():
    assert PUBLIC_STATUS_ORDER == ("resolved", "answered", "unanswered", "unresolved", "unpursuable")
    assert RECENT_MONTHS == 12
    assert CLOSED_STATE_DEFINITIONS == (
        ("resolved", "Resolved", "The complainant confirmed the issue was resolved to their satisfaction."),
        (
            "answered",
            "Answered",
            "The business addressed the complaint, but the complainant did not accept the answer or did not say "
            "whether they were satisfied.",
        ),
        ("unanswered", "Unanswered", "The business did not respond."),
        ("unresolved", "Unresolved", "The business responded but made no good-faith effort to resolve it."),
        ("unpursuable", "Unpursuable", "The business could not be located."),
    )


@pytest.mark.parametrize(
    ("histogram", "n", "expected"),
    [
        ({}, 0, None),
        ({5: 3}, 3, 5.0),
        ({2: 1, 4: 1, 10: 1}, 3, 4.0),
        ({1: 1, 3: 1, 7: 1, 9: 1}, 4, 5.0),
        ({9: 1, 1: 1, 7: 1, 3: 1}, 4, 5.0),
        ({0: 2, 6: 1, 12: 1}, 4, 3.0),
        ({1: 1, 2: 2, 40: 1}, 4, 2.0),
        ({48: 1, 480: 1}, 2, 264.0),
    ],
)
def test_the_median_of_the_response_hours(histogram, n, expected):
    assert _median(Counter(histogram), n) == expected


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (None, "no responses yet"),
        (0, "under an hour"),
        (0.99, "under an hour"),
        (1, "1 hour"),
        (1.5, "1 hour"),
        (5.5, "5 hours"),
        (23.9, "23 hours"),
        (24, "1 day"),
        (25, "1 day 1 hour"),
        (26, "1 day 2 hours"),
        (48, "2 days"),
        (49, "2 days 1 hour"),
        (50, "2 days 2 hours"),
        (264, "11 days"),
    ],
)
def test_the_median_time_to_first_response_reads_in_days_and_hours(hours, shown):
    assert figures(median_response_hours=hours).median_response_display == shown


@pytest.mark.parametrize(
    ("responded", "on_time", "share", "percent"),
    [(0, 0, None, None), (4, 3, 0.75, 75), (3, 2, 2 / 3, 67), (3, 1, 1 / 3, 33), (2, 2, 1.0, 100)],
)
def test_the_share_answered_on_time(responded, on_time, share, percent):
    # The shares are over the counted complaints; here every counted complaint got a response.
    shown = figures(responded=responded, answered_on_time=on_time, counted=responded)
    assert (shown.on_time_share, shown.on_time_percent) == (share, percent)


def test_the_shares_are_over_the_counted_complaints_so_unanswered_ones_lower_them():
    shown = figures(counted=4, responded=3, answered_on_time=1)
    assert (shown.response_share, shown.response_percent) == (0.75, 75)
    assert (shown.on_time_share, shown.on_time_percent) == (0.25, 25)
    assert (figures(counted=0).response_percent, figures(counted=0).on_time_percent) == (None, None)


def test_rows_by_status_and_type_carry_their_labels():
    shown = figures()
    assert shown.status_rows == [
        ("resolved", "Resolved", 4),
        ("answered", "Answered", 2),
        ("unanswered", "Unanswered", 0),
        ("unresolved", "Unresolved", 0),
        ("unpursuable", "Unpursuable", 0),
    ]
    assert shown.type_rows == [("delivery", "Delivery", 5), ("order", "Order", 1)]


def test_counts_by_status_and_type():
    shown = figures()
    assert shown.count() == 6
    assert shown.count(status="resolved") == 4
    assert shown.count(type="delivery") == 5
    assert shown.count(status="resolved", type="delivery") == 3
    assert shown.count(status="answered", type="order") == 0
    assert shown.count(status="unanswered") == 0


def test_months_days_and_cache_keys():
    assert _month_start(date(2026, 3, 31)) == date(2026, 3, 1)
    assert _month_start(date(2026, 3, 1)) == date(2026, 3, 1)
    assert MonthCount(date(2026, 1, 1), 3).label == "Jan 2026"
    assert _cache_key(5, date(2026, 3, 1)) == "redress:figures:v2:5:2026-03-01"


def test_the_chart_draws_one_bar_a_month_scaled_to_the_busiest():
    months = (MonthCount(date(2025, 12, 1), 0), MonthCount(date(2026, 1, 1), 4), MonthCount(date(2026, 2, 1), 2))
    chart = monthly_chart(figures(monthly=months))
    # x and width in % of the chart's width (three slots of 33.33 %), y and height in px
    assert (chart.height, chart.baseline, chart.max_count) == (200, 172, 4)
    assert chart.bars == (
        Bar(
            x=5.0,
            y=172.0,
            width=23.33,
            height=0.0,
            count=0,
            label="",
            show_label=False,
            title="Dec 2025: 0 complaints",
            label_x=5.0,
            label_anchor="start",
        ),
        Bar(
            x=38.33,
            y=10.0,
            width=23.33,
            height=162.0,
            count=4,
            label="Jan 26",
            show_label=True,
            title="Jan 2026: 4 complaints",
            label_x=38.33,
            label_anchor="start",
        ),
        Bar(
            x=71.67,
            y=91.0,
            width=23.33,
            height=81.0,
            count=2,
            label="",
            show_label=False,
            title="Feb 2026: 2 complaints",
            label_x=71.67,
            label_anchor="start",
        ),
    )
    assert chart.ticks == ((172.0, 0), (91.0, 2), (10.0, 4))
    assert chart.description == "6 complaints closed between Dec 2025 and Feb 2026; the most in Jan 2026 (4)."


def test_the_chart_of_a_quiet_business_and_of_one_complaint():
    months = (MonthCount(date(2026, 6, 1), 0), MonthCount(date(2026, 7, 1), 1))
    chart = monthly_chart(figures(monthly=months, total=1), height=100)
    # plot 62 px high after the margins, two slots of 50 %
    assert [(bar.x, bar.y, bar.width, bar.height) for bar in chart.bars] == [
        (7.5, 72.0, 35.0, 0.0),
        (57.5, 10.0, 35.0, 62.0),
    ]
    assert (chart.height, chart.baseline) == (100, 72)
    assert [bar.title for bar in chart.bars] == ["Jun 2026: 0 complaints", "Jul 2026: 1 complaint"]
    assert [bar.label for bar in chart.bars] == ["", "Jul 26"]
    assert chart.ticks == ((72.0, 0), (10.0, 1))
    assert chart.description == "1 complaint closed between Jun 2026 and Jul 2026; the most in Jul 2026 (1)."
    silent = monthly_chart(figures(monthly=(MonthCount(date(2026, 6, 1), 0),), total=0))
    assert (silent.max_count, silent.ticks) == (0, ((172.0, 0), (10.0, 1)))
    assert silent.description == "0 complaints closed between Jun 2026 and Jun 2026."
    empty = monthly_chart(figures(monthly=(), total=0))
    assert (empty.bars, empty.description) == ((), "No months to show.")


def test_the_chart_keeps_two_decimals_and_labels_january_and_july_only():
    months = (MonthCount(date(2026, 7, 1), 1), MonthCount(date(2026, 8, 1), 7))
    chart = monthly_chart(figures(monthly=months, total=8))
    # plot 162 px high, two slots of 50 %; the July bar is 162 / 7 high
    assert chart.bars == (
        Bar(
            x=7.5,
            y=148.86,
            width=35.0,
            height=23.14,
            count=1,
            label="Jul 26",
            show_label=True,
            title="Jul 2026: 1 complaint",
            label_x=7.5,
            label_anchor="start",
        ),
        Bar(
            x=57.5,
            y=10.0,
            width=35.0,
            height=162.0,
            count=7,
            label="",
            show_label=False,
            title="Aug 2026: 7 complaints",
            label_x=57.5,
            label_anchor="start",
        ),
    )
    assert chart.ticks == ((172.0, 0), (102.57, 3), (10.0, 7))


def test_a_label_near_the_right_edge_ends_at_its_bar_so_it_stays_inside_the_chart():
    months = tuple(MonthCount(date(2026, month, 1), 1) for month in range(1, 8))  # Jan to Jul
    chart = monthly_chart(figures(monthly=months, total=7))
    labelled = [(bar.label, bar.x, bar.width, bar.label_x, bar.label_anchor) for bar in chart.bars if bar.show_label]
    # seven slots of 14.29 %: January starts at 2.14 %, July at 87.86 % and ends at 97.86 %
    assert labelled == [("Jan 26", 2.14, 10.0, 2.14, "start"), ("Jul 26", 87.86, 10.0, 97.86, "end")]


def test_one_month_fills_the_plot_and_no_month_draws_nothing():
    [bar] = monthly_chart(figures(monthly=(MonthCount(date(2026, 6, 1), 0),), total=0)).bars
    assert (bar.x, bar.y, bar.width, bar.height) == (15.0, 172.0, 70.0, 0.0)
    empty = monthly_chart(figures(monthly=(), total=0))
    assert (empty.bars, empty.max_count, empty.ticks) == ((), 0, ((172.0, 0), (10.0, 1)))
