"""Staff screens for the exchange after filing.

Responses, answers and information from the business are written by the parties through
`disputes.services`; staff review and edit only their masked (public) copy here. Rulings and
mediation cases are written by the staff actions on the complaint list, so they are read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin, StaffAccessMixin

from .models import BusinessInformation, BusinessResponse, CustomerAnswer, MediationCase, StaffRuling


class MaskedTextAdmin(StaffAccessMixin, admin.ModelAdmin):
    list_select_related = ["complaint", "author"]
    search_fields = ["=complaint__number", "author__email", "text"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: BusinessResponse | CustomerAnswer | BusinessInformation,
        form: forms.ModelForm,
        change: bool,
    ) -> None:
        if "text_masked" in form.changed_data:
            obj.save(update_fields=["text_masked"])


@admin.register(BusinessResponse)
class BusinessResponseAdmin(MaskedTextAdmin):
    list_display = ["complaint", "round", "author", "is_late", "created_at"]
    list_filter = ["is_late", "round"]
    fields = ["complaint", "author", "round", "is_late", "created_at", "text", "text_masked"]
    readonly_fields = ["complaint", "author", "round", "is_late", "created_at", "text"]


@admin.register(CustomerAnswer)
class CustomerAnswerAdmin(MaskedTextAdmin):
    list_display = ["complaint", "verdict", "author", "created_at"]
    list_filter = ["verdict"]
    fields = ["complaint", "author", "verdict", "created_at", "text", "text_masked"]
    readonly_fields = ["complaint", "author", "verdict", "created_at", "text"]


@admin.register(BusinessInformation)
class BusinessInformationAdmin(MaskedTextAdmin):
    list_display = ["complaint", "author", "created_at"]
    fields = ["complaint", "author", "created_at", "text", "text_masked"]
    readonly_fields = ["complaint", "author", "created_at", "text"]


@admin.register(StaffRuling)
class StaffRulingAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "outcome", "staff", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["complaint", "staff"]
    search_fields = ["=complaint__number", "reason"]


@admin.register(MediationCase)
class MediationCaseAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "opened_by", "opened_at", "outcome", "closed_at"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["complaint", "opened_by"]
    search_fields = ["=complaint__number", "notes"]
