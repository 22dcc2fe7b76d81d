"""Staff see every inbound message: accepted, refused with the reason, dropped; its raw source and its case."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from core.admin import ReadOnlyAdmin

from .models import InboundMessage


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "status", "reason_code", "from_address", "subject", "case", "via", "dkim", "spf"]
    list_filter = ["status", "reason_code", "via"]
    list_select_related = ["complaint"]
    search_fields = ["from_address", "subject", "message_id", "=complaint__number"]
    date_hierarchy = "received_at"
    FIELDS = (
        "received_at",
        "status",
        "reason_code",
        "reason",
        "via",
        "message_id",
        "envelope_sender",
        "from_address",
        "reply_address",
        "subject",
        "size",
        "dkim",
        "spf",
        "user",
        "case",
        "event",
        "text",
        "refusal_email",
        "raw_source",
    )
    fields = FIELDS
    readonly_fields = FIELDS

    @admin.display(description="case", ordering="complaint__number")
    def case(self, message: InboundMessage) -> str:
        if message.complaint is None:
            return "—"
        url = reverse("admin:complaints_complaint_change", args=[message.complaint_id])
        return format_html('<a href="{}">#{}</a>', url, message.complaint.number)

    @admin.display(description="raw source")
    def raw_source(self, message: InboundMessage) -> str:
        source = bytes(message.raw).decode("utf-8", "replace")
        return format_html('<pre style="white-space: pre-wrap; max-height: 40rem; overflow: auto;">{}</pre>', source)
