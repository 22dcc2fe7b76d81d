"""Webhook deliveries through real Celery workers: a queue of their own, timeouts, and the periodic pick-up.

Two workers, as in production: one on the default queue (mail, deadlines, beat) and one on the
webhooks queue. A receiver that hangs longer than the read timeout holds only the webhooks
worker, for the timeout and no longer; the e-mail the same move sends goes out meanwhile.
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.test import override_settings

from complaints.models import Status
from complaints.tests.factories import complaint_in, staff_user
from core.models import OutboundEmail
from disputes.services import complaint_staff_act
from tests.celery_worker import (
    celery_worker_factory,  # noqa: F401 - a fixture
    publishing_to,
    wait_until,
)
from tests.webhook_receiver import Receiver
from webhooks.models import Attempt, Delivery, DeliveryStatus
from webhooks.services import endpoint_create


@pytest.fixture
def receivers():
    started: list[Receiver] = []

    def start() -> Receiver:
        started.append(Receiver().start())
        return started[-1]

    yield start
    for receiver in started:
        receiver.stop()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_hanging_receiver_times_out_without_holding_up_the_request_or_the_mail(
    celery_worker_factory,  # noqa: F811
    receivers,
    complainant,
    business,
    representative,
):
    hooks_queue = f"redress-test-webhooks-{uuid.uuid4().hex[:8]}"
    default = celery_worker_factory(REDRESS_WEBHOOKS_QUEUE=hooks_queue)
    hooks = celery_worker_factory(queue=hooks_queue, beat=False, REDRESS_WEBHOOKS_QUEUE=hooks_queue)
    hanging, healthy = receivers(), receivers()
    hanging.pause, hanging.pause_requests = 8.0, 1  # the first request hangs, the retry is answered
    with override_settings(REDRESS_WEBHOOKS_QUEUE=hooks_queue), publishing_to(default.queue):
        slow = endpoint_create(business=business, user=representative, url=hanging.url, events=["complaint.forwarded"])
        fast = endpoint_create(business=business, user=representative, url=healthy.url, events=["complaint.forwarded"])
        hanging.secret, healthy.secret = slow.secret, fast.secret
        complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
        default.wait_until_ready()
        hooks.wait_until_ready()

        started = time.monotonic()
        complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="In scope")
        assert time.monotonic() - started < 2.0  # the move does not wait for any receiver

        # The notice e-mails go out on the default worker while the hanging receiver holds the other.
        emails = list(OutboundEmail.objects.filter(complaint=complaint).values_list("pk", flat=True))
        assert emails
        wait_until(lambda: all(default.sent_mail()[str(pk)] == 1 for pk in emails), timeout=20, message="mail sent")

        # The hanging receiver got the request, and the attempt ended at the read timeout.
        wait_until(lambda: Attempt.objects.filter(delivery__endpoint=slow).exists(), timeout=30, message="timeout")
        # On a loaded machine the retry may already have been made by now: read the first attempt.
        attempt = Attempt.objects.filter(delivery__endpoint=slow).order_by("id").first()
        assert attempt is not None
        assert attempt.error == "No answer within 5 s."
        assert 5000 <= attempt.latency_ms < 7000
        assert attempt.status_code is None

        # The healthy receiver got its delivery, once, verified.
        wait_until(lambda: healthy.received, timeout=30, message="healthy delivery")
        wait_until(
            lambda: Delivery.objects.get(endpoint=fast).status == DeliveryStatus.DELIVERED, timeout=10, message="log"
        )
        assert [(r.event_type, r.complaint, r.verified) for r in healthy.received] == [
            ("complaint.forwarded", complaint.number, True)
        ]

        # The receiver answers the retry, 5 s later: beat's periodic task picks it up from the database.
        wait_until(
            lambda: Delivery.objects.get(endpoint=slow).status == DeliveryStatus.DELIVERED,
            timeout=40,
            message="retry delivered",
        )
        assert [r.event_type for r in hanging.received] == ["complaint.forwarded", "complaint.forwarded"]
        assert hanging.received[-1].verified
        assert [a.error for a in Attempt.objects.filter(delivery__endpoint=slow).order_by("id")] == [
            "No answer within 5 s.",
            "",
        ]
    default.assert_alive()
    hooks.assert_alive()
