"""Celery adapters of webhooks: send one delivery (on the `webhooks` queue), and the periodic pick-up.

A hanging receiver holds one `webhooks` worker for at most the connect and read timeouts
(webhooks/network.py); the time limits below are a backstop. See docs/operations.md ("Webhooks").
"""

from __future__ import annotations

import logging

from celery import shared_task

from .services import deliveries_queue_due, delivery_send

logger = logging.getLogger(__name__)


@shared_task(name="webhooks.tasks.send_delivery", soft_time_limit=20, time_limit=30, acks_late=True)
def send_delivery(delivery_id: int) -> str:
    result = delivery_send(delivery_id=delivery_id)
    logger.info("Webhook delivery %s: %s", delivery_id, result)
    return result


@shared_task(name="webhooks.tasks.send_due_deliveries")
def send_due_deliveries() -> int:
    """Queue every pending delivery whose time has come: retries, and any whose message was lost."""
    queued = deliveries_queue_due()
    if queued:
        logger.info("Webhook deliveries due: queued %s", queued)
    return queued
