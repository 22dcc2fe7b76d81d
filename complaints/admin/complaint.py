"""The complaint screen: list, filters, the change page with its timeline and thread inlines.

The status and every workflow field are read-only here. Staff move a complaint only through
the actions on the list (admin/staff_actions.py), each of which asks for the reason and calls
the service; the only fields staff edit directly are the masked (public) text and, while a
complaint is still being screened, the directory entry of the business it names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from core.admin import FixedRowsMixin, StaffAccessMixin
from disputes.models import BusinessResponse, CustomerAnswer, MediationCase, StaffRuling

from ..models import Attachment, Complaint, ComplaintEvent, Status
from ..workflow import WAITING_ON
from .export import complaints_csv
from .staff_actions import STAFF_ADMIN_ACTIONS, staff_actions_now

# What staff may edit on a complaint; everything else on the change page is read-only.
MASKED_FIELDS = {"description_masked", "text_masked"}


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", "Overdue (due date passed)"), ("no", "Not overdue")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(due_at__lt=now)
        if self.value() == "no":
            return queryset.filter(Q(due_at__isnull=True) | Q(due_at__gte=now))
        return queryset


class ReadOnlyInline(FixedRowsMixin, StaffAccessMixin, admin.TabularInline):
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ComplaintEventInline(ReadOnlyInline):
    model = ComplaintEvent
    verbose_name_plural = "timeline"
    fields = readonly_fields = (
        "created_at",
        "event",
        "actor_role",
        "actor",
        "from_status",
        "to_status",
        "reason",
        "data",
    )
    ordering = ["created_at", "id"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = readonly_fields = ("original_name", "content_type", "size", "uploaded_by", "created_at")


class StaffRulingInline(ReadOnlyInline):
    model = StaffRuling
    fields = readonly_fields = ("created_at", "outcome", "staff", "reason")


class MediationCaseInline(ReadOnlyInline):
    model = MediationCase
    fields = readonly_fields = ("opened_at", "kind", "opened_by", "outcome", "closed_at", "notes")


class MaskedTextInline(FixedRowsMixin, StaffAccessMixin, admin.StackedInline):
    """A thread entry: the original is shown, only the masked (public) copy is editable."""


class BusinessResponseInline(MaskedTextInline):
    model = BusinessResponse
    fields = ["created_at", "author", "round", "is_late", "text", "text_masked"]
    readonly_fields = ["created_at", "author", "round", "is_late", "text"]


class CustomerAnswerInline(MaskedTextInline):
    model = CustomerAnswer
    fields = ["created_at", "author", "verdict", "text", "text_masked"]
    readonly_fields = ["created_at", "author", "verdict", "text"]


@admin.register(Complaint)
class ComplaintAdmin(StaffAccessMixin, admin.ModelAdmin):
    list_display = ["number", "business_column", "complainant", "type", "status", "due_at", "is_overdue", "filed_at"]
    list_display_links = ["number"]
    list_filter = ["status", "type", "business", OverdueFilter]
    list_select_related = ["business", "complainant"]
    search_fields = ["=number", "business__name", "business_name", "complainant__email"]
    date_hierarchy = "filed_at"
    autocomplete_fields = ["business"]
    inlines = [
        BusinessResponseInline,
        CustomerAnswerInline,
        StaffRulingInline,
        MediationCaseInline,
        AttachmentInline,
        ComplaintEventInline,
    ]
    actions = [*STAFF_ADMIN_ACTIONS, "export_csv"]
    fieldsets = (
        (
            "Case",
            {
                "fields": (
                    "number",
                    "status",
                    "status_changed_at",
                    "waiting_on",
                    "due_kind",
                    "due_at",
                    "on_hold",
                    "staff_actions_now",
                )
            },
        ),
        (
            "Business",
            {
                "fields": (
                    "business",
                    "business_name",
                    "business_website",
                    "business_address",
                    "business_email",
                    "business_phone",
                )
            },
        ),
        (
            "Complaint as filed",
            {
                "fields": (
                    "complainant",
                    "type",
                    "description",
                    "desired_outcome",
                    "desired_outcome_detail",
                    "transaction_date",
                    "amount",
                    "currency",
                    "reference",
                    "affirm_true",
                    "affirm_not_in_court",
                    "publish_consent",
                )
            },
        ),
        ("Public text", {"fields": ("description_masked", "masked_at")}),
        (
            "Workflow record",
            {
                "classes": ("collapse",),
                "fields": (
                    "reject_reason",
                    "response_count",
                    "late_response",
                    "first_response_at",
                    "second_notice_sent_at",
                    "reminded_at",
                    "filed_at",
                    "forwarded_at",
                    "closed_at",
                    "updated_at",
                ),
            },
        ),
    )

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        # Complaints are filed by complainants, through the filing service.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The record is the audit trail: a complaint is rejected or withdrawn, never deleted.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Complaint | None = None) -> list[str]:
        editable = set(MASKED_FIELDS)
        if obj is not None and obj.status == Status.SUBMITTED:
            editable.add("business")
        names = [field.name for field in Complaint._meta.concrete_fields if field.name not in editable]
        return [*names, "waiting_on", "staff_actions_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Complaint]:
        return super().get_queryset(request).select_related("business", "complainant")

    @admin.display(description="Business", ordering="business__name")
    def business_column(self, obj: Complaint) -> str:
        return obj.business_display_name if obj.business_id else f"{obj.business_name} (not listed)"

    @admin.display(boolean=True, description="Overdue")
    def is_overdue(self, obj: Complaint) -> bool:
        return obj.due_at is not None and obj.due_at < timezone.now()

    @admin.display(description="Waiting on")
    def waiting_on(self, obj: Complaint) -> str:
        return WAITING_ON.get(obj.status, "nobody (closed)")

    @admin.display(description="Staff actions possible now")
    def staff_actions_now(self, obj: Complaint) -> str:
        return staff_actions_now(obj)

    def save_model(self, request: HttpRequest, obj: Complaint, form: forms.ModelForm, change: bool) -> None:
        # Save only what staff may edit, under the row lock, so a transition that ran while the
        # page was open is never overwritten by the page's stale copy.
        changed = [name for name in form.changed_data if name in MASKED_FIELDS or name == "business"]
        if not changed:
            return
        with transaction.atomic():
            current = Complaint.objects.select_for_update().get(pk=obj.pk)
            if "business" in changed and current.status != Status.SUBMITTED:
                changed.remove("business")
                self.message_user(
                    request, "The business can only be changed while the complaint is being screened.", messages.ERROR
                )
            for name in changed:
                setattr(current, name, getattr(obj, name))
            if changed:
                current.save(update_fields=[*changed, "updated_at"])

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        # Inline rows are never added or deleted here; only their masked text is saved.
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for inline_form in formset.forms:
            fields = [name for name in inline_form.changed_data if name in MASKED_FIELDS]
            if inline_form.instance.pk and fields:
                inline_form.save(commit=False).save(update_fields=fields)
                formset.changed_objects.append((inline_form.instance, fields))

    @admin.action(description="Export the selected complaints as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> HttpResponse:
        return complaints_csv(queryset)
