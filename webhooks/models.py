"""Webhook endpoints of a business, the deliveries queued for them, and every attempt to send one.

See docs/domain.md ("Webhooks") and docs/decisions/0029-webhooks.md.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class EventType(models.TextChoices):
    FORWARDED = "complaint.forwarded", "A complaint is forwarded to the business"
    ANSWERED = "complaint.answered", "The business answers a complaint"
    REJECTED_ANSWER = "complaint.rejected_answer", "The complainant rejects the business's answer"
    CLOSED = "complaint.closed", "A complaint is closed"
    DEADLINE_REMINDER = "deadline.reminder", "A response from the business is due soon"


# A test ping is not an event a representative subscribes to: it is sent when they ask.
PING = "webhook.ping"


class Endpoint(models.Model):
    """An address of a business that receives signed deliveries of the events it chose."""

    business = models.ForeignKey("accounts.Business", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="The event types delivered here.")
    enabled = models.BooleanField(default=True)
    secret = models.CharField(max_length=100, help_text="Signs every delivery (whsec_...).")
    # After a rotation the previous secret signs too, until `previous_secret_until`.
    previous_secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    # The first failed attempt since the last delivered one; cleared by a success.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["business_id", "id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.business_id})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    """One message for one endpoint: sent until the endpoint answers 2xx or the schedule runs out."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # Deliveries of one complaint to one endpoint are sent in order (docs/domain.md, "Webhooks").
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, null=True, blank=True, related_name="webhook_deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True, help_text="The webhook-id header: msg_...")
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "complaint", "status"], name="webhook_delivery_order"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class Attempt(models.Model):
    """One HTTP request of a delivery and what came back."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    started_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    response_excerpt = models.CharField(max_length=1000, blank=True, default="")
    error = models.CharField(max_length=500, blank=True, default="")
    manual = models.BooleanField(default=False, help_text="Sent again by a representative.")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.delivery_id}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
