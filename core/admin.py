"""Admin pieces every app shares (staff access, read-only records), and the outbox's own screen."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .models import OutboundEmail
from .outbox import emails_resend


class CheckedSelectionMixin:
    """Refuse an admin action on a selection that is not a list of row ids, with a message.

    Django's admin filters the rows by the posted ids as they come, so a changed form would fail
    in the database; here it is a message on the list instead (no 500 on any input).
    """

    model: Any

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(value)
        except ValidationError:
            self.message_user(  # type: ignore[attr-defined]
                request, "The selection was not understood: choose the rows from the list.", messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)  # type: ignore[misc]


class StaffAccessMixin(CheckedSelectionMixin):
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
    """Every stored e-mail; failed ones can be sent again (as new rows: the failed row is the record)."""

    list_display = ["created_at", "to", "subject", "kind", "state", "attempts", "sent_at", "resend_of"]
    list_filter = ["state", "kind"]
    list_select_related = ["complaint"]
    search_fields = ["to", "subject", "=complaint__number"]
    date_hierarchy = "created_at"
    actions = ["resend"]

    @admin.action(description="Send the selected failed e-mails again")
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        failed = list(queryset.filter(state=OutboundEmail.State.FAILED).values_list("pk", flat=True))
        skipped = queryset.count() - len(failed)
        copies = emails_resend(email_ids=failed, staff=request.user)  # type: ignore[arg-type]
        if copies:
            self.message_user(request, f"{len(copies)} e-mail(s) queued again as new messages.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} e-mail(s) were not failed and were left alone.", messages.WARNING)
