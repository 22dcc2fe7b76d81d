from datetime import timedelta

from webhooks.schedule import DISABLE_AFTER, MAX_ATTEMPTS, RETRY_DELAYS, retry_delay


def test_the_retry_schedule_runs_for_more_than_three_days_and_grows():
    assert sum(RETRY_DELAYS, timedelta()) == timedelta(days=3, hours=13, minutes=35, seconds=5)
    assert list(RETRY_DELAYS) == sorted(RETRY_DELAYS)
    assert MAX_ATTEMPTS == 11
    assert timedelta(days=3) == DISABLE_AFTER


def test_each_failed_attempt_waits_its_turn_and_the_last_gives_up():
    assert retry_delay(1) == timedelta(seconds=5)
    assert retry_delay(2) == timedelta(minutes=5)
    assert retry_delay(3) == timedelta(minutes=30)
    assert retry_delay(10) == timedelta(hours=24)
    assert retry_delay(11) is None
    assert retry_delay(0) is None
