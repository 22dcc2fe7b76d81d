"""Deliveries to a real HTTP receiver on this machine that verifies each with standardwebhooks.

These tests send through the periodic task's path (`due_delivery_ids` then `delivery_send`,
with due times moved forward by passing `now`), so nothing here needs a broker; the worker
test in tests/test_webhooks_worker.py sends through Celery.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from complaints.models import Status
from complaints.tests.factories import complaint_in, staff_user
from core.errors import InvalidInput
from core.models import OutboundEmail
from disputes.services import answer_submit, complaint_staff_act, response_submit
from tests.webhook_receiver import Receiver
from webhooks.models import Delivery, DeliveryStatus, EventType
from webhooks.services import (
    FAILED,
    RETRY,
    SENT,
    WAITING,
    delivery_redeliver,
    delivery_send,
    due_delivery_ids,
    endpoint_create,
    endpoint_rotate,
    endpoint_update,
)

ALL_EVENTS = list(EventType.values)


@pytest.fixture
def receiver():
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


def send_due(now=None):
    """Run the periodic task's path until a round sends nothing: what each attempt did, in order.

    A delivery waiting behind an earlier one of its complaint makes no attempt and is left out.
    """
    now = now or timezone.now()
    results = []
    while True:
        done = [delivery_send(delivery_id=pk, now=now) for pk in due_delivery_ids(now=now)]
        results += [result for result in done if result in {SENT, RETRY, FAILED}]
        if not {SENT, RETRY, FAILED} & set(done):
            return results


def walk_through_every_event(complainant, business, representative):
    """File, forward, answer, reject the answer, then accept: four kinds of event for the business."""
    complaint = complaint_in(Status.SUBMITTED, complainant=complainant, business=business)
    complaint_staff_act(complaint_id=complaint.pk, staff=staff_user(), action="forward", reason="In scope")
    response_submit(complaint_id=complaint.pk, author=representative, text="We released the funds on 2 May.")
    answer_submit(complaint_id=complaint.pk, author=complainant, text="They were not released.", verdict="reject")
    answer_submit(complaint_id=complaint.pk, author=complainant, text="Now they are.", verdict="accept")
    return complaint


@pytest.mark.django_db
def test_each_event_arrives_once_signed_in_order(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    receiver.secret = endpoint.secret
    complaint = walk_through_every_event(complainant, business, representative)

    assert send_due() == [SENT, SENT, SENT, SENT]
    assert receiver.kinds(complaint.number) == [
        "complaint.forwarded",
        "complaint.answered",
        "complaint.rejected_answer",
        "complaint.closed",
    ]
    assert [r.verified for r in receiver.received] == [True, True, True, True]
    assert len({r.message_id for r in receiver.received}) == 4
    # Sending again sends nothing: each was delivered once.
    assert send_due(timezone.now() + timedelta(days=5)) == []
    assert len(receiver.received) == 4
    first = receiver.received[0].payload
    assert first["data"]["business"] == business.slug
    assert first["data"]["complaint"]["number"] == complaint.number
    assert first["data"]["complaint"]["status"] == "awaiting_business"
    # What the representative does not see is not sent: the complainant's name and e-mail.
    for request in receiver.received:
        assert b"dana@example.com" not in request.body
        assert b"Dana Whitfield" not in request.body
    attempts = [d.attempt_log.get() for d in Delivery.objects.order_by("pk")]
    assert [a.status_code for a in attempts] == [200, 200, 200, 200]
    assert [a.response_excerpt for a in attempts] == ['{"ok": true}'] * 4


@pytest.mark.django_db
def test_only_the_chosen_events_are_delivered(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=["complaint.closed"])
    receiver.secret = endpoint.secret
    complaint = walk_through_every_event(complainant, business, representative)
    assert send_due() == [SENT]
    assert receiver.kinds(complaint.number) == ["complaint.closed"]


@pytest.mark.django_db
def test_a_complaint_the_business_never_saw_is_never_delivered(receiver, complainant, business, representative):
    endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    complaint_in(Status.REJECTED, complainant=complainant, business=business)
    assert Delivery.objects.count() == 0


@pytest.mark.django_db
def test_a_receiver_down_then_up_gets_every_delivery_in_order(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    receiver.secret = endpoint.secret
    receiver.stop()
    complaint = walk_through_every_event(complainant, business, representative)
    now = timezone.now()

    # The first fails and waits 5 s; the three after it wait behind it, unsent.
    assert delivery_send(delivery_id=due_delivery_ids(now=now)[0], now=now) == RETRY
    assert [delivery_send(delivery_id=pk, now=now) for pk in due_delivery_ids(now=now)] == [WAITING] * 3
    assert list(Delivery.objects.order_by("pk").values_list("attempts", flat=True)) == [1, 0, 0, 0]
    first = Delivery.objects.order_by("pk").first()
    assert first.attempts == 1
    assert first.next_attempt_at == now + timedelta(seconds=5)
    assert first.attempt_log.get().error == "The connection was refused."
    # Still down 5 s later: the next wait is 5 minutes.
    assert send_due(now + timedelta(seconds=6)) == [RETRY]

    receiver.start()
    assert send_due(now + timedelta(minutes=6)) == [SENT, SENT, SENT, SENT]
    assert receiver.kinds(complaint.number) == [
        "complaint.forwarded",
        "complaint.answered",
        "complaint.rejected_answer",
        "complaint.closed",
    ]
    assert all(r.verified for r in receiver.received)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}


@pytest.mark.django_db
def test_a_tampered_body_or_another_secret_fails_verification(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    receiver.secret = endpoint.secret
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    send_due()
    request = receiver.received[0]
    assert request.verified
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "complaint.forwarded"
    tampered = request.body.replace(b"awaiting_business", b"resolved")
    assert tampered != request.body
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, request.headers)
    other = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(request.body, request.headers)


@pytest.mark.django_db
def test_after_a_rotation_both_secrets_verify_until_the_overlap_ends(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    old = endpoint.secret
    endpoint = endpoint_rotate(endpoint=endpoint, overlap=timedelta(hours=1))
    assert endpoint.secret != old
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    send_due()
    request = receiver.received[0]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(request.body, request.headers)["type"] == "complaint.forwarded"
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "complaint.forwarded"

    # Two hours on, only the new secret signs.
    delivery = Delivery.objects.get()
    delivery_redeliver(delivery=delivery)
    later = timezone.now() + timedelta(hours=2)
    delivery_send(delivery_id=delivery.pk, manual=True, now=later)
    last = receiver.received[-1]
    assert len(last.headers["webhook-signature"].split(" ")) == 1
    assert Webhook(endpoint.secret).verify(last.body, last.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(last.body, last.headers)


@pytest.mark.django_db
def test_production_settings_refuse_private_addresses_and_plain_http(receiver, complainant, business, representative):
    with override_settings(REDRESS_WEBHOOKS_ALLOW_PRIVATE=False, REDRESS_WEBHOOKS_REQUIRE_HTTPS=True):
        with pytest.raises(InvalidInput) as plain:
            endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
        assert plain.value.field_errors == {"url": ["Use an https URL."]}
        for url, refusal in [
            ("https://127.0.0.1/hooks", "127.0.0.1 is a loopback address."),
            ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address."),
            ("https://[::1]/hooks", "::1 is a loopback address."),
            ("https://10.0.0.8/hooks", "10.0.0.8 is a private address."),
        ]:
            with pytest.raises(InvalidInput) as refused:
                endpoint_create(business=business, user=representative, url=url, events=ALL_EVENTS)
            assert refused.value.field_errors == {"url": [refusal]}

    # A name is resolved when sending: localhost is refused then, and the receiver hears nothing.
    endpoint = endpoint_create(
        business=business, user=representative, url=f"http://localhost:{receiver.port}/hooks", events=ALL_EVENTS
    )
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    with override_settings(REDRESS_WEBHOOKS_ALLOW_PRIVATE=False):
        assert send_due() == [RETRY]
    attempt = Delivery.objects.get(endpoint=endpoint).attempt_log.get()
    assert attempt.status_code is None
    assert attempt.error in {"127.0.0.1 is a loopback address.", "::1 is a loopback address."}
    assert receiver.received == []


@pytest.mark.django_db
def test_an_endpoint_failing_for_three_days_is_disabled_and_the_representatives_told(
    receiver, complainant, business, representative
):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    receiver.status = 500
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    start = timezone.now()
    # Each attempt when it is due: after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 14 h, 20 h.
    hours = (0, 1 / 600, 1, 3, 8, 18, 28, 42, 62, 86)
    results = []
    for moment in [start + timedelta(hours=h) for h in hours]:
        results += send_due(moment)
    # The tenth attempt, 86 hours on, is the first after three days with nothing delivered.
    assert results == [RETRY] * 10
    endpoint.refresh_from_db()
    assert endpoint.enabled is False
    assert endpoint.disabled_reason.startswith("Disabled by Redress: every attempt failed since")
    email = OutboundEmail.objects.get(kind="webhook_disabled")
    assert email.to == "ravi@gigwork.example"
    assert email.subject == f"Webhook endpoint disabled: {receiver.url}"
    assert len(receiver.received) == 10
    # Disabled, it is not tried again: the delivery waits, pending.
    assert send_due(start + timedelta(days=10)) == []
    assert Delivery.objects.get().status == DeliveryStatus.PENDING

    # Enabled again by a representative, nothing is lost: the waiting delivery and a new one are sent.
    receiver.status = 200
    endpoint_update(endpoint=endpoint, enabled=True)
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    assert send_due() == [SENT, SENT]
    assert len(receiver.received) == 12


@pytest.mark.django_db
def test_a_redelivery_by_hand_is_logged_as_such(receiver, complainant, business, representative):
    endpoint = endpoint_create(business=business, user=representative, url=receiver.url, events=ALL_EVENTS)
    receiver.secret = endpoint.secret
    complaint_in(Status.AWAITING_BUSINESS, complainant=complainant, business=business)
    send_due()
    delivery = Delivery.objects.get()
    attempt = delivery_redeliver(delivery=delivery)
    assert (attempt.status_code, attempt.manual) == (200, True)
    assert [r.message_id for r in receiver.received] == [delivery.message_id, delivery.message_id]
    assert [a.manual for a in delivery.attempt_log.order_by("id")] == [False, True]
