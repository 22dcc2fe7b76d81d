from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api_fields import FreshFields

from ..models import Attempt, Delivery, Endpoint, EventType


class EndpointSerializer(FreshFields, serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), help_text="The event types delivered here."
    )
    previous_secret_valid_until = serializers.DateTimeField(
        source="previous_secret_until",
        read_only=True,
        allow_null=True,
        help_text="Until when deliveries are also signed with the secret before the last rotation.",
    )

    class Meta:
        model = Endpoint
        fields = ["id", "url", "events", "enabled", "disabled_reason", "previous_secret_valid_until", "created_at"]
        read_only_fields = ["id", "enabled", "disabled_reason", "previous_secret_valid_until", "created_at"]
        extra_kwargs = {
            "id": {"help_text": "The endpoint's id, in its URL."},
            "created_at": {"help_text": "When it was registered."},
            "url": {"help_text": "Where deliveries are sent (https in production)."},
            "enabled": {"help_text": "Whether deliveries are sent."},
            "disabled_reason": {"help_text": "Why the endpoint was disabled, if it was."},
        }


class EndpointCreateSerializer(FreshFields, serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="Where deliveries are sent (https in production).")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        max_length=len(EventType.values),
        help_text="The event types to deliver.",
    )


class EndpointUpdateSerializer(FreshFields, serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False, help_text="A new URL.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        min_length=1,
        max_length=len(EventType.values),
        required=False,
        help_text="The event types to deliver.",
    )
    enabled = serializers.BooleanField(required=False, help_text="Enable or disable deliveries.")


class EndpointSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(read_only=True, help_text="The signing secret, shown this once (whsec_...).")

    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class AttemptSerializer(FreshFields, serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["id", "started_at", "status_code", "latency_ms", "response_excerpt", "error", "manual"]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "The attempt's id."},
            "started_at": {"help_text": "When the request was sent."},
            "status_code": {"help_text": "The HTTP status the endpoint answered; null if it did not."},
            "latency_ms": {"help_text": "How long the request took, in milliseconds."},
            "response_excerpt": {"help_text": "The start of the response body."},
            "error": {"help_text": "Why no answer came (timeout, refused address, ...)."},
            "manual": {"help_text": "Sent again by a representative."},
        }


class DeliverySerializer(FreshFields, serializers.ModelSerializer):
    complaint = serializers.SerializerMethodField(help_text="The complaint's number; null for a test ping.")
    attempts = AttemptSerializer(
        many=True, read_only=True, source="attempt_log", help_text="Every attempt to send it, oldest first."
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "message_id",
            "event_type",
            "complaint",
            "status",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "payload",
            "attempts",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "id": {"help_text": "The delivery's id, in its redeliver URL."},
            "event_type": {"help_text": "What happened: complaint.forwarded, ..., or webhook.ping."},
            "status": {"help_text": "pending until a 2xx answer (delivered) or the retries run out (failed)."},
            "next_attempt_at": {"help_text": "When the next attempt is due; null once delivered or failed."},
            "created_at": {"help_text": "When the event happened."},
            "delivered_at": {"help_text": "When the endpoint answered 2xx."},
            "message_id": {"help_text": "The webhook-id header of every attempt."},
            "payload": {"help_text": "The JSON body sent."},
        }

    def get_complaint(self, delivery: Delivery) -> str | None:
        return delivery.complaint.number if delivery.complaint is not None else None


def endpoint_with_secret(endpoint: Endpoint) -> dict[str, Any]:
    return EndpointSecretSerializer(endpoint).data
