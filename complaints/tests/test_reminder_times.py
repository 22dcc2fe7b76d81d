"""When each party is reminded of a due date (complaints.deadlines.remind_at_for): no database."""

from datetime import UTC, datetime, timedelta

import pytest

from complaints.deadlines import BUSINESS_KINDS, ENFORCED_KINDS, remind_at_for

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def days(n: float) -> timedelta:
    return timedelta(days=n)


@pytest.mark.parametrize(
    ("kind", "due_in", "remind_in"),
    [
        # the business, 4 days before each of its due dates
        ("business_first", days(14), days(10)),
        ("business_final", days(14), days(10)),
        ("business_rebuttal", days(14), days(10)),
        # the complainant, on day 7 of the answer period
        ("consumer_answer", days(10), days(7)),
        # staff, 2 days before a ruling is due
        ("staff_ruling", days(7), days(5)),
        # staff, when a mediation passes its due date
        ("mediation", days(30), days(30)),
        # nobody is reminded of screening, or of nothing
        ("screening", days(2), None),
        ("", days(2), None),
    ],
)
def test_each_due_kind_reminds_at_its_time(kind, due_in, remind_in):
    expected = NOW + remind_in if remind_in is not None else None
    assert remind_at_for(kind, NOW + due_in, NOW) == expected


@pytest.mark.parametrize("kind", ["business_first", "consumer_answer", "staff_ruling", "mediation", "screening"])
def test_nothing_due_means_no_reminder(kind):
    assert remind_at_for(kind, None, NOW) is None


@pytest.mark.parametrize(
    ("kind", "due_in", "remind_in"),
    [
        # a period no longer than the reminder's lead gets none
        ("business_first", days(4), None),
        ("business_first", days(4) + MINUTE, MINUTE),
        ("business_final", days(3), None),
        ("consumer_answer", days(7), None),
        ("consumer_answer", days(7) + MINUTE, days(7)),
        ("consumer_answer", days(6), None),
        ("staff_ruling", days(2), None),
        ("staff_ruling", days(2) + MINUTE, MINUTE),
        # a due date already passed: the mediation reminder is the due date itself
        ("mediation", -days(1), -days(1)),
        ("business_first", -days(1), None),
    ],
)
def test_a_period_too_short_for_a_reminder_gets_none(kind, due_in, remind_in):
    expected = NOW + remind_in if remind_in is not None else None
    assert remind_at_for(kind, NOW + due_in, NOW) == expected


def test_the_reminder_times_follow_the_settings(settings):
    settings.REDRESS_BUSINESS_REMINDER_DAYS_BEFORE = 2
    settings.REDRESS_CONSUMER_REMINDER_DAY = 3
    settings.REDRESS_STAFF_REMINDER_DAYS_BEFORE = 1
    assert remind_at_for("business_rebuttal", NOW + days(14), NOW) == NOW + days(12)
    assert remind_at_for("consumer_answer", NOW + days(10), NOW) == NOW + days(3)
    assert remind_at_for("staff_ruling", NOW + days(7), NOW) == NOW + days(6)


def test_the_reminder_defaults(settings):
    assert (
        settings.REDRESS_BUSINESS_REMINDER_DAYS_BEFORE,
        settings.REDRESS_CONSUMER_REMINDER_DAY,
        settings.REDRESS_STAFF_REMINDER_DAYS_BEFORE,
    ) == (4, 7, 2)


def test_the_business_due_kinds_and_the_kinds_the_sweep_enforces():
    assert set(BUSINESS_KINDS) == {"business_first", "business_final", "business_rebuttal"}
    assert ENFORCED_KINDS == (
        "business_final",
        "business_first",
        "business_rebuttal",
        "consumer_answer",
        "screening",
        "staff_ruling",
    )
