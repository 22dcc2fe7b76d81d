"""When a failed delivery is tried again: a fixed schedule, about three and a half days in all.

Pure data and arithmetic, tested without a database (docs/decisions/0029-webhooks.md).
"""

from __future__ import annotations

from datetime import timedelta

# The wait after the 1st, 2nd, ... failed attempt; after the last, the delivery has failed.
RETRY_DELAYS = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# An endpoint that has delivered nothing for this long, through every retry, is disabled.
DISABLE_AFTER = timedelta(days=3)


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after this many failed attempts; None when the schedule is spent."""
    if failed_attempts < 1 or failed_attempts > len(RETRY_DELAYS):
        return None
    return RETRY_DELAYS[failed_attempts - 1]
