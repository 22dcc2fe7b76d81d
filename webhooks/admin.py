"""Staff read every endpoint, delivery and attempt; only representatives change them (docs/domain.md, "Webhooks")."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Attempt, Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "business", "enabled", "failing_since", "created_at"]
    list_filter = ["enabled"]
    list_select_related = ["business"]
    search_fields = ["url", "business__name"]
    # The secrets are the business's: staff do not read them.
    exclude = ["secret", "previous_secret"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    readonly_fields = ["started_at", "status_code", "latency_ms", "response_excerpt", "error", "manual"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event_type", "endpoint", "complaint", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint", "complaint"]
    search_fields = ["message_id", "=complaint__number", "endpoint__url"]
    inlines = [AttemptInline]
