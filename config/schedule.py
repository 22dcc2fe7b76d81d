"""The beat schedule: every periodic task Redress runs, in one place.

Every task reads the database and are safe to run twice or on two workers at once, so a beat
message lost in the broker, or one delivered twice, changes nothing. The deadline sweep's task
only selects what is due and queues one task per page of it (complaints/tasks.py), so the pages
are applied by every worker process listening; run exactly one beat. `expires` drops messages
that piled up while no worker was listening: the next run catches up on its own.
"""

from __future__ import annotations

from typing import Any


def beat_schedule(
    *, sweep_seconds: int, imap_seconds: int = 60, pattern_seconds: int = 3600
) -> dict[str, dict[str, Any]]:
    """Build CELERY_BEAT_SCHEDULE from the sweep interval read by the settings."""
    return {
        "enforce-deadlines": {
            "task": "complaints.tasks.enforce_deadlines",
            "schedule": float(sweep_seconds),
            "options": {"expires": float(sweep_seconds)},
        },
        "alert-failed-emails": {
            "task": "complaints.tasks.alert_failed_emails",
            "schedule": float(sweep_seconds),
            "options": {"expires": float(sweep_seconds)},
        },
        "send-pending-emails": {
            "task": "core.tasks.send_pending_emails",
            "schedule": float(sweep_seconds),
            "options": {"expires": float(sweep_seconds)},
        },
        # Opens at most one review per business, scope and week, however often it runs.
        "detect-patterns": {
            "task": "complaints.tasks.detect_patterns",
            "schedule": float(pattern_seconds),
            "options": {"expires": float(pattern_seconds)},
        },
        # Webhook retries and deliveries whose message was lost (webhooks/services.py).
        "send-due-webhooks": {
            "task": "webhooks.tasks.send_due_deliveries",
            "schedule": float(sweep_seconds),
            "options": {"expires": float(sweep_seconds)},
        },
        # Reads REDRESS_IMAP_URL's mailbox; does nothing when no mailbox is configured.
        "poll-mailbox": {
            "task": "inbound.tasks.poll_mailbox",
            "schedule": float(imap_seconds),
            "options": {"expires": float(imap_seconds)},
        },
    }
