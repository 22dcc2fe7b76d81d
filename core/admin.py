"""Admin pieces every app shares (staff access, read-only records), and the outbox's own screen."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import OutboundEmail


class StaffAccessMixin:
    """Every active staff member works the Redress models; deleting still needs Django's permission.

    The domain (docs/domain.md) makes `is_staff` the staff role, so staff need no per-model grants to screen, rule
    and audit. User accounts stay behind Django's own permissions (superusers).
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return bool(request.user.is_active and request.user.is_staff)


class FixedRowsMixin:
    """Inline rows that admin can neither add nor delete: they are written by the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(StaffAccessMixin, admin.ModelAdmin):
    """For records only services write: staff read them, nobody adds, changes or deletes them here."""

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "kind", "state", "attempts", "sent_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["complaint"]
    search_fields = ["to", "subject", "=complaint__number"]
    date_hierarchy = "created_at"
