"""What one published complaint adds to its business's figures, and the publication window: no database."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import time_machine

from complaints.publication import Facts, contribution, months_before, publication_cutoff, utc_day, window_start_day

FILED = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TOLD = FILED + timedelta(days=1)  # forwarded to the business
CLOSED = TOLD + timedelta(days=30)


def facts(**overrides) -> Facts:
    values = {
        "status": "resolved",
        "type": "delivery",
        "closed_at": CLOSED,
        "filed_at": FILED,
        "forwarded_at": TOLD,
        "first_response_at": None,
    }
    return Facts(**{**values, **overrides})


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, {"n:resolved:delivery": 1, "counted": 1}),
        ({"status": "unanswered", "type": "order"}, {"n:unanswered:order": 1, "counted": 1}),
        (
            {"first_response_at": TOLD + timedelta(hours=48)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:48": 1},
        ),
        # on time up to and including the first due date, 14 days after the business was told
        (
            {"first_response_at": TOLD + timedelta(days=14)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:336": 1},
        ),
        (
            {"first_response_at": TOLD + timedelta(days=14, seconds=1)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "h:336": 1},
        ),
        # whole hours, rounded down
        (
            {"first_response_at": TOLD + timedelta(minutes=119)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:1": 1},
        ),
        # a response that came when or before the complaint closed counts; one after it does not
        (
            {"first_response_at": CLOSED},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "h:720": 1},
        ),
        ({"first_response_at": CLOSED + timedelta(seconds=1)}, {"n:resolved:delivery": 1, "counted": 1}),
        # never forwarded: measured from filing
        (
            {"forwarded_at": None, "first_response_at": FILED + timedelta(hours=5)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:5": 1},
        ),
        (
            {"forwarded_at": None, "first_response_at": FILED + timedelta(days=14, hours=1)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "h:337": 1},
        ),
        # closed before its first due date without a response: counted neither way
        ({"closed_at": TOLD + timedelta(days=13)}, {"n:resolved:delivery": 1}),
        ({"closed_at": TOLD + timedelta(days=14, seconds=-1)}, {"n:resolved:delivery": 1}),
        # closed at the very instant its first due date passed (the sweep's Unanswered): counted
        (
            {"status": "unanswered", "closed_at": TOLD + timedelta(days=14)},
            {"n:unanswered:delivery": 1, "counted": 1},
        ),
        # due date passed without a response, but the business could not be located: not counted
        ({"status": "unpursuable"}, {"n:unpursuable:delivery": 1}),
        # a response recorded before the business was told counts as hour 0
        (
            {"first_response_at": TOLD - timedelta(hours=3)},
            {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "on_time": 1, "h:0": 1},
        ),
    ],
)
def test_the_counters_one_complaint_adds(overrides, expected):
    assert contribution(facts(**overrides)) == expected


def test_on_time_follows_the_business_response_setting(settings):
    settings.REDRESS_BUSINESS_RESPONSE_DAYS = 3
    late = contribution(facts(first_response_at=TOLD + timedelta(days=3, seconds=1)))
    assert late == {"n:resolved:delivery": 1, "counted": 1, "responded": 1, "h:72": 1}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 21), 36, date(2023, 11, 21)),
        (date(2026, 11, 21), 0, date(2026, 11, 21)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 12, 31), 12, date(2025, 12, 31)),
        (date(2026, 5, 31), 13, date(2025, 4, 30)),
        (date(2026, 12, 5), 11, date(2026, 1, 5)),
        (date(2026, 1, 5), -1, date(2026, 2, 5)),
    ],
)
def test_months_before_counts_calendar_months_and_clamps_to_the_month_end(day, months, expected):
    assert months_before(day, months) == expected


def test_the_day_of_a_moment_is_its_utc_day():
    paris = timezone(timedelta(hours=2))
    assert utc_day(datetime(2026, 3, 1, 23, 30, tzinfo=paris)) == date(2026, 3, 1)
    assert utc_day(datetime(2026, 3, 1, 1, 0, tzinfo=paris)) == date(2026, 2, 28)
    assert utc_day(datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-2)))) == date(2026, 3, 2)


def test_the_day_is_the_utc_day_whatever_the_process_time_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert utc_day(datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=2)))) == date(2026, 3, 1)
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_window_starts_on_the_same_day_months_ago():
    now = datetime(2026, 11, 21, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 20 Nov in UTC
    assert window_start_day(36, now) == date(2023, 11, 20)
    assert window_start_day(12, now) == date(2025, 11, 20)
    with time_machine.travel(datetime(2026, 5, 31, 12, 0, tzinfo=UTC), tick=False):
        assert window_start_day(3) == date(2026, 2, 28)
        assert publication_cutoff() == datetime(2023, 5, 31, tzinfo=UTC)


def test_complaints_closed_from_the_cutoff_on_are_published(settings):
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert publication_cutoff(now) == datetime(2023, 11, 21, tzinfo=UTC)
    settings.REDRESS_PUBLICATION_MONTHS = 12
    assert publication_cutoff(now) == datetime(2025, 11, 21, tzinfo=UTC)
