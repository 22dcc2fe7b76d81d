"""Staff screens for complaints: screening, rulings, masked text, the timeline and mail.

The status and every workflow field are read-only here. Staff move a complaint only through
the actions below, each of which asks for the reason and calls `complaint_staff_act`; the only
fields staff edit directly are the masked (public) text and, while a complaint is still being
screened, the directory entry of the business it names.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from complaints.services import complaint_facts
from core.admin import FixedRowsMixin, ReadOnlyAdmin, StaffAccessMixin
from core.errors import RedressError
from disputes.models import BusinessResponse, CustomerAnswer, MediationCase, StaffRuling
from disputes.services import STAFF_ACTIONS, complaint_staff_act

from .models import (
    Attachment,
    BusinessStatsDay,
    Complaint,
    ComplaintEvent,
    Notification,
    RejectReason,
    Status,
)
from .workflow import REASON_REQUIRED, WAITING_ON, Actor, events_for

# What staff may edit on a complaint; everything else on the change page is read-only.
MASKED_FIELDS = {"description_masked", "text_masked"}

STAFF_ACTION_LABELS = {
    "forward": "Forward to the business",
    "hold": "Put on hold (no automatic forwarding)",
    "reject": "Reject as ineligible",
    "unpursuable": "Close as unpursuable (business cannot be located)",
    "rule_answered": "Rule: good-faith effort (Answered)",
    "rule_unresolved": "Rule: no good-faith effort (Unresolved)",
    "open_mediation": "Open mediation or arbitration",
    "mediation_resolved": "Mediation: agreement reached (Resolved)",
    "mediation_unresolved": "Mediation: business refused the award (Unresolved)",
    "reopen": "Reopen to the state it left",
}


class StaffActionForm(forms.Form):
    """The intermediate page of a staff action: why, and for some actions a code or a kind."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        help_text="Recorded on each complaint's timeline and shown to the parties.",
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["reason"].required = action in REASON_REQUIRED
        if action == "reject":
            self.fields["reject_reason"] = forms.ChoiceField(label="Reason code", choices=RejectReason.choices)
        if action == "open_mediation":
            self.fields["mediation_kind"] = forms.ChoiceField(label="Kind", choices=MediationCase.Kind.choices)


def _apply_staff_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Complaint], action: str, data: dict
) -> None:
    done: list[str] = []
    for complaint in queryset.order_by("number"):
        try:
            complaint_staff_act(
                complaint_id=complaint.pk,
                staff=request.user,  # type: ignore[arg-type]
                action=action,
                reason=data.get("reason", ""),
                reject_reason=data.get("reject_reason", ""),
                mediation_kind=data.get("mediation_kind", "mediation"),
            )
        except RedressError as error:
            details = "; ".join(message for messages_ in error.field_errors.values() for message in messages_)
            text = f"#{complaint.number}: {error.message}" + (f" ({details})" if details else "")
            modeladmin.message_user(request, text, messages.ERROR)
        else:
            done.append(f"#{complaint.number}")
    if done:
        modeladmin.message_user(
            request, f"{STAFF_ACTION_LABELS[action]}: done for {', '.join(done)}.", messages.SUCCESS
        )


def _staff_action(action: str) -> Callable[..., HttpResponse | None]:
    """An admin action that asks for the reason on an intermediate page, then applies `action`."""

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Complaint]) -> HttpResponse | None:
        if "apply" in request.POST:
            form = StaffActionForm(request.POST, action=action)
            if form.is_valid():
                _apply_staff_action(modeladmin, request, queryset, action, form.cleaned_data)
                return None
        else:
            form = StaffActionForm(action=action)
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": STAFF_ACTION_LABELS[action],
            "opts": modeladmin.model._meta,
            "form": form,
            "action": f"act_{action}",
            "complaints": queryset.select_related("business").order_by("number"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/complaints/complaint/staff_action.html", context)

    run.__name__ = f"act_{action}"
    return admin.action(description=STAFF_ACTION_LABELS[action] + "…")(run)


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


CSV_COLUMNS = [
    "number",
    "filed_at",
    "status",
    "type",
    "business",
    "complainant_email",
    "desired_outcome",
    "amount",
    "currency",
    "reference",
    "response_count",
    "late_response",
    "due_kind",
    "due_at",
    "forwarded_at",
    "closed_at",
]


def _csv_safe(value: object) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
    actions = [*(_staff_action(action) for action in STAFF_ACTIONS), "export_csv"]
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
        events = set(events_for(obj.status, Actor.STAFF, complaint_facts(obj)))
        labels = [STAFF_ACTION_LABELS[event] for event in STAFF_ACTIONS if event in events]
        hint = " Use the actions on the complaint list." if labels else ""
        return ("; ".join(labels) or "none") + "." + hint

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
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="complaints-{timezone.now():%Y%m%d-%H%M}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for complaint in queryset.select_related("business", "complainant").order_by("filed_at", "id").iterator():
            row = [
                complaint.number,
                complaint.filed_at.isoformat(),
                complaint.status,
                complaint.type,
                complaint.business_display_name,
                complaint.complainant.email,
                complaint.desired_outcome,
                complaint.amount,
                complaint.currency,
                complaint.reference,
                complaint.response_count,
                complaint.late_response,
                complaint.due_kind,
                complaint.due_at.isoformat() if complaint.due_at else "",
                complaint.forwarded_at.isoformat() if complaint.forwarded_at else "",
                complaint.closed_at.isoformat() if complaint.closed_at else "",
            ]
            writer.writerow([_csv_safe(value) for value in row])
        return response


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


@admin.register(BusinessStatsDay)
class BusinessStatsDayAdmin(ReadOnlyAdmin):
    """The daily figures behind each public profile, kept by the publication service."""

    list_display = ["day", "business", "counts"]
    list_select_related = ["business"]
    list_filter = ["business"]
    date_hierarchy = "day"
