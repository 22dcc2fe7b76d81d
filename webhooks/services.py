"""The writers of webhooks: endpoints, the deliveries events make, and each attempt to send one.

Deliveries are rows written in the transaction of the event they tell of (`deliveries_record`,
the listener of `complaints.announcements`); after the commit a task on the `webhooks` queue
sends each, and the periodic `send_due_deliveries` finds any whose message was lost. Sending
locks the row and sends only what is pending and due, so a delivery is never sent twice at
once. See docs/domain.md ("Webhooks") and docs/decisions/0029-webhooks.md.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.models import User
from complaints.announcements import Announcement
from core.errors import InvalidInput, NotFound
from core.models import OutboundEmail
from core.outbox import emails_queue_on_commit

from . import network
from .models import PING, Attempt, Delivery, DeliveryStatus, Endpoint, EventType
from .payloads import announcement_payload, ping_payload
from .schedule import DISABLE_AFTER, retry_delay

if TYPE_CHECKING:
    from accounts.models import Business

logger = logging.getLogger(__name__)

SEND_TASK = "webhooks.tasks.send_delivery"
EVENT_TYPES = frozenset(EventType.values)
MAX_ENDPOINTS_PER_BUSINESS = 10
SENT, SKIPPED, RETRY, FAILED, WAITING = "sent", "skipped", "retry", "failed", "waiting"


def secret_new() -> str:
    """A fresh signing secret in the Standard Webhooks form: whsec_ and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def _checked(url: str, events: Sequence[str]) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    url = (url or "").strip()
    refusal = network.url_refusal(url, require_https=settings.REDRESS_WEBHOOKS_REQUIRE_HTTPS) if url else "Give a URL."
    if refusal is None:
        host = urlsplit(url).hostname or ""
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None and not settings.REDRESS_WEBHOOKS_ALLOW_PRIVATE:
            refusal = network.address_refusal(str(literal))
    if refusal:
        errors["url"] = [refusal]
    chosen = list(dict.fromkeys(events))
    unknown = [event for event in chosen if event not in EVENT_TYPES]
    if unknown:
        errors["events"] = [f"Unknown event: {', '.join(unknown)}."]
    elif not chosen:
        errors["events"] = ["Choose at least one event."]
    if errors:
        raise InvalidInput("Check the endpoint.", field_errors=errors)
    return url, [event for event in EventType.values if event in chosen]


def endpoint_create(*, business: Business, user: User, url: str, events: Sequence[str]) -> Endpoint:
    """Register an endpoint for the business; the secret is read from the returned row, once."""
    url, chosen = _checked(url, events)
    with transaction.atomic():
        if Endpoint.objects.filter(business=business).count() >= MAX_ENDPOINTS_PER_BUSINESS:
            raise InvalidInput(
                "Too many endpoints.",
                field_errors={"url": [f"A business has at most {MAX_ENDPOINTS_PER_BUSINESS} endpoints."]},
            )
        return Endpoint.objects.create(business=business, url=url, events=chosen, secret=secret_new(), created_by=user)


def endpoint_update(
    *, endpoint: Endpoint, url: str | None = None, events: Sequence[str] | None = None, enabled: bool | None = None
) -> Endpoint:
    """Change an endpoint's URL, events or whether it is enabled (enabling clears the failure record)."""
    new_url, chosen = _checked(endpoint.url if url is None else url, endpoint.events if events is None else events)
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.url, endpoint.events = new_url, chosen
        if enabled is not None and enabled != endpoint.enabled:
            endpoint.enabled = enabled
            endpoint.failing_since = None
            endpoint.disabled_reason = "" if enabled else "Disabled by a representative."
            if enabled:
                # What waited while it was disabled is due at once.
                Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.PENDING).update(
                    next_attempt_at=timezone.now()
                )
        endpoint.save()
    if endpoint.enabled:
        transaction.on_commit(partial(deliveries_queue_due, endpoint_id=endpoint.pk))
    return endpoint


def endpoint_delete(*, endpoint: Endpoint) -> None:
    """Remove an endpoint with its deliveries and their log."""
    endpoint.delete()


def endpoint_rotate(*, endpoint: Endpoint, overlap: timedelta | None = None, now: datetime | None = None) -> Endpoint:
    """Give the endpoint a new secret; the old one keeps signing too until the overlap ends."""
    now = now or timezone.now()
    overlap = timedelta(hours=settings.REDRESS_WEBHOOKS_ROTATION_OVERLAP_HOURS) if overlap is None else overlap
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = now + overlap
        endpoint.secret = secret_new()
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    return endpoint


def _message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def endpoint_ping(*, endpoint: Endpoint) -> Delivery:
    """Queue a test delivery (`webhook.ping`) to the endpoint, sent at once even if it is disabled."""
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.create(
            endpoint=endpoint,
            message_id=_message_id(),
            event_type=PING,
            payload=ping_payload(endpoint.business.slug, now),
            next_attempt_at=now,
        )
        _queue_on_commit([delivery.pk])
    return delivery


def deliveries_record(announcements: Sequence[Announcement]) -> list[Delivery]:
    """Write a delivery for each announcement to each enabled endpoint that chose its event.

    Runs inside the transaction that records the events; the deliveries are queued after it
    commits. Two queries however many announcements: the endpoints, and one insert.
    """
    business_ids = {a.complaint.business_id for a in announcements if a.complaint.business_id is not None}
    if not business_ids:
        return []
    endpoints: dict[int, list[Endpoint]] = {}
    for endpoint in Endpoint.objects.filter(business_id__in=business_ids, enabled=True).select_related("business"):
        endpoints.setdefault(endpoint.business_id, []).append(endpoint)
    rows = [
        Delivery(
            endpoint=endpoint,
            complaint=announcement.complaint,
            message_id=_message_id(),
            event_type=announcement.kind,
            payload=announcement_payload(announcement, endpoint.business.slug),
            next_attempt_at=announcement.at,
            created_at=announcement.at,
        )
        for announcement in announcements
        for endpoint in endpoints.get(announcement.complaint.business_id or 0, [])
        if announcement.kind in endpoint.events
    ]
    if not rows:
        return []
    created = Delivery.objects.bulk_create(rows)
    _queue_on_commit([delivery.pk for delivery in created])
    return created


def deliveries_queue(delivery_ids: Sequence[int]) -> bool:
    """Ask a webhooks worker to send these now; False (logged) if the broker cannot take it."""
    try:
        for delivery_id in delivery_ids:
            current_app.send_task(SEND_TASK, (delivery_id,), queue=settings.REDRESS_WEBHOOKS_QUEUE, retry=False)
    except Exception:  # a down broker must never fail the request: the periodic task sends them
        logger.warning("Could not queue webhook deliveries %s; the periodic task sends them", list(delivery_ids))
        return False
    return True


def _queue_on_commit(delivery_ids: Sequence[int]) -> None:
    transaction.on_commit(partial(deliveries_queue, list(delivery_ids)))


def signing_secrets(endpoint: Endpoint, now: datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous during the overlap."""
    keys = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_until and endpoint.previous_secret_until > now:
        keys.append(endpoint.previous_secret)
    return keys


def signed_headers(endpoint: Endpoint, message_id: str, body: bytes, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers; one `v1,` signature per secret valid at `now`, separated by spaces.

    The timestamp is the clock's when sending: receivers refuse one far from their own.
    """
    sent_at = timezone.now()
    signatures = [Webhook(key).sign(message_id, sent_at, body.decode()) for key in signing_secrets(endpoint, now)]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def payload_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def _waiting_behind(delivery: Delivery) -> bool:
    """Whether an earlier delivery of the same complaint to the same endpoint is still pending."""
    if delivery.complaint_id is None:
        return False
    return Delivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        complaint_id=delivery.complaint_id,
        status=DeliveryStatus.PENDING,
        pk__lt=delivery.pk,
    ).exists()


def _next_in_line(delivery: Delivery) -> list[int]:
    if delivery.complaint_id is None:
        return []
    following = (
        Delivery.objects.filter(
            endpoint_id=delivery.endpoint_id,
            complaint_id=delivery.complaint_id,
            status=DeliveryStatus.PENDING,
            pk__gt=delivery.pk,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return [following] if following else []


def delivery_send(*, delivery_id: int, manual: bool = False, now: datetime | None = None) -> str:
    """Send one delivery if it is pending and due (or asked for by hand), and log the attempt.

    Locks the row for the request, skipping it if another sender holds it. A 2xx delivers it;
    anything else schedules the next attempt (`schedule.retry_delay`) or, when the schedule is
    spent, fails it. Returns what happened: sent, retry, failed, waiting (an earlier delivery
    of the same complaint is pending) or skipped.
    """
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "endpoint__business")
            .filter(pk=delivery_id)
            .first()
        )
        now = now or timezone.now()
        if delivery is None:
            return SKIPPED
        endpoint = delivery.endpoint
        if not manual:
            due = delivery.next_attempt_at is not None and delivery.next_attempt_at <= now
            if delivery.status != DeliveryStatus.PENDING or not due:
                return SKIPPED
            if not endpoint.enabled and delivery.event_type != PING:
                return SKIPPED
            if _waiting_behind(delivery):
                return WAITING
        body = payload_body(delivery.payload)
        headers = signed_headers(endpoint, delivery.message_id, body, now)
        outcome = network.post(
            endpoint.url,
            body,
            headers,
            allow_private=settings.REDRESS_WEBHOOKS_ALLOW_PRIVATE,
            require_https=settings.REDRESS_WEBHOOKS_REQUIRE_HTTPS,
        )
        attempt = Attempt.objects.create(
            delivery=delivery,
            started_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            response_excerpt=outcome.excerpt,
            error=outcome.error,
            manual=manual,
        )
        delivery.attempts += 1
        if attempt.succeeded:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
            delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "attempts"])
            if endpoint.failing_since is not None:
                Endpoint.objects.filter(pk=endpoint.pk).update(failing_since=None)
            _queue_on_commit(_next_in_line(delivery))
            return SENT
        result = RETRY
        if delivery.status == DeliveryStatus.PENDING and not manual:
            delay = retry_delay(delivery.attempts)
            if delay is None:
                delivery.status, delivery.next_attempt_at, result = DeliveryStatus.FAILED, None, FAILED
                _queue_on_commit(_next_in_line(delivery))
            else:
                delivery.next_attempt_at = now + delay
            delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
        else:
            delivery.save(update_fields=["attempts"])
        _endpoint_failed(endpoint, now)
        return result


def _endpoint_failed(endpoint: Endpoint, now: datetime) -> None:
    """Note a failed attempt; an endpoint with nothing delivered for `DISABLE_AFTER` is disabled."""
    endpoint = Endpoint.objects.select_for_update().select_related("business").get(pk=endpoint.pk)
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
        return
    if not endpoint.enabled or now - endpoint.failing_since < DISABLE_AFTER:
        return
    endpoint.enabled = False
    endpoint.disabled_reason = (
        f"Disabled by Redress: every attempt failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC."
    )
    endpoint.save(update_fields=["enabled", "disabled_reason"])
    _representatives_tell(endpoint)


def _representatives_tell(endpoint: Endpoint) -> None:
    representatives = User.objects.filter(memberships__business_id=endpoint.business_id, is_active=True)
    body = (
        f"Redress has disabled the webhook endpoint {endpoint.url} of {endpoint.business.name}.\n\n"
        f"{endpoint.disabled_reason}\n\nDeliveries are kept. Enable the endpoint again in your dashboard "
        "once it answers, and the pending deliveries are sent.\n"
    )
    emails = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            to=user.email,
            subject=f"Webhook endpoint disabled: {endpoint.url}"[:300],
            body_text=body,
            kind="webhook_disabled",
            user=user,
        )
        for user in representatives
    )
    emails_queue_on_commit([email.pk for email in emails])


def delivery_redeliver(*, delivery: Delivery) -> Attempt:
    """Send a delivery again by hand, now, whatever its state; a pending one that succeeds is delivered."""
    delivery_send(delivery_id=delivery.pk, manual=True)
    attempt = Attempt.objects.filter(delivery=delivery).order_by("-id").first()
    if attempt is None:
        raise NotFound("No such delivery.")
    return attempt


def due_delivery_ids(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """The pending deliveries whose time has come, to enabled endpoints, oldest first."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__enabled=True)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_queue_due(*, endpoint_id: int | None = None, now: datetime | None = None) -> int:
    """Queue every due pending delivery (of one endpoint, if given); the periodic task's body."""
    ids = due_delivery_ids(now=now)
    if endpoint_id is not None:
        ids = list(Delivery.objects.filter(pk__in=ids, endpoint_id=endpoint_id).values_list("pk", flat=True))
    if ids:
        deliveries_queue(ids)
    return len(ids)
