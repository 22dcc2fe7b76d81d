"""Read-only screens of what the services record: the timeline's events, attachments, notifications."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from ..models import Attachment, ComplaintEvent, Notification


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "complaint", "event", "actor_role", "actor", "from_status", "to_status"]
    list_filter = ["event", "actor_role", "to_status"]
    list_select_related = ["complaint", "actor"]
    search_fields = ["=complaint__number", "actor__email", "reason"]
    date_hierarchy = "created_at"


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "complaint", "content_type", "size", "uploaded_by", "created_at"]
    list_filter = ["content_type"]
    list_select_related = ["complaint", "uploaded_by"]
    search_fields = ["=complaint__number", "original_name"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "complaint", "message", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "complaint"]
    search_fields = ["user__email", "=complaint__number", "message"]
