"""Celery tasks: adapters that call a service. Each reads the database and can run twice.

The periodic ones are scheduled in config/schedule.py.
"""

from __future__ import annotations

from celery import shared_task

from . import sweep


@shared_task(name="complaints.tasks.enforce_deadlines")
def enforce_deadlines() -> dict[str, int]:
    """Apply every passed due date and send due reminders."""
    report = sweep.sweep()
    return dict(report.counts())
