"""The complaint screen: list, filters, the change page with its timeline and thread inlines.

The status and every workflow field are read-only here. Staff move a complaint only through
the actions on the list (admin/staff_actions.py) or on the case page, each of which asks for the reason and calls
the service. On the change page staff edit the masked (public) text of a published complaint
and, while it is being screened, the directory entry of the business it names: each edit goes
through its service with the reason typed beside it, and is an event on the timeline.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.models import BusinessAuditEntry
from accounts.services import business_audit_record
from core.admin import FixedRowsMixin, StaffAccessMixin
from core.errors import RedressError
from core.forms import ModelForm
from disputes.models import BusinessInformation, BusinessResponse, CustomerAnswer, MediationCase, StaffRuling

from ..models import Assignment, Attachment, Complaint, ComplaintEvent, StaffNote, Status
from ..selectors.duplicates import duplicate_links
from ..services import complaint_assign, complaint_business_link, complaint_public_text_set
from ..services.moves import DESCRIPTION_LIMIT
from ..workflow import PUBLIC_CLOSED_STATES, WAITING_ON
from .export import complaints_csv
from .staff_actions import STAFF_ADMIN_ACTIONS, staff_actions_now


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


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("me", "Assigned to me"), ("nobody", "Not assigned"), ("anyone", "Assigned to anyone")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
        match self.value():
            case "me":
                return queryset.filter(assigned_to=request.user.pk)
            case "nobody":
                return queryset.filter(assigned_to__isnull=True)
            case "anyone":
                return queryset.filter(assigned_to__isnull=False)
        return queryset


class ReadOnlyInline(FixedRowsMixin, StaffAccessMixin, admin.TabularInline):
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    verbose_name_plural = "assignments (staff only)"
    fields = readonly_fields = ("created_at", "assigned_to", "assigned_by", "reason")


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


class StaffNoteInline(ReadOnlyInline):
    """Private staff notes, read here; they are added from the case page (complaints.services.staff_note_add)."""

    model = StaffNote
    verbose_name_plural = "private staff notes"
    fields = readonly_fields = ("created_at", "author", "text")


class StaffRulingInline(ReadOnlyInline):
    model = StaffRuling
    fields = readonly_fields = ("created_at", "outcome", "staff", "reason")


class MediationCaseInline(ReadOnlyInline):
    model = MediationCase
    fields = readonly_fields = ("opened_at", "kind", "opened_by", "outcome", "closed_at", "notes")


class MaskedTextInline(FixedRowsMixin, StaffAccessMixin, admin.StackedInline):
    """A thread entry: the original is shown; the masked (public) copy is editable once published."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = list(super().get_readonly_fields(request, obj))
        published = obj is not None and obj.masked_at is not None and obj.status in PUBLIC_CLOSED_STATES
        return names if published else [*names, "text_masked"]


class BusinessResponseInline(MaskedTextInline):
    model = BusinessResponse
    fields = ["created_at", "author", "round", "is_late", "text", "text_masked"]
    readonly_fields = ["created_at", "author", "round", "is_late", "text"]


class CustomerAnswerInline(MaskedTextInline):
    model = CustomerAnswer
    fields = ["created_at", "author", "verdict", "text", "text_masked"]
    readonly_fields = ["created_at", "author", "verdict", "text"]


class BusinessInformationInline(MaskedTextInline):
    model = BusinessInformation
    fields = ["created_at", "author", "text", "text_masked"]
    readonly_fields = ["created_at", "author", "text"]


class ComplaintForm(ModelForm):
    """The complaint's change page, with the reason for an edit of its public text or business."""

    # The limit the public-text service applies (complaints/services/moves.py), refused here as a form error.
    description_masked = forms.CharField(
        label="Description masked", required=False, max_length=DESCRIPTION_LIMIT, widget=forms.Textarea
    )
    edit_reason = forms.CharField(
        label="Why you make this edit",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when you edit the public text or link the business; it goes on the complaint's history.",
    )

    class Meta:
        model = Complaint
        fields = ("business", "description_masked")


@admin.register(Complaint)
class ComplaintAdmin(StaffAccessMixin, admin.ModelAdmin):
    form = ComplaintForm
    list_display = [
        "number",
        "business_column",
        "complainant",
        "type",
        "status",
        "due_at",
        "is_overdue",
        "assigned_to",
        "filed_at",
    ]
    list_display_links = ["number"]
    list_filter = ["status", "type", "business", OverdueFilter, AssignedFilter]
    list_select_related = ["business", "complainant", "assigned_to"]
    search_fields = ["=number", "business__name", "business_name", "complainant__email"]
    date_hierarchy = "filed_at"
    autocomplete_fields = ["business"]
    inlines = [
        BusinessResponseInline,
        CustomerAnswerInline,
        BusinessInformationInline,
        StaffRulingInline,
        MediationCaseInline,
        AttachmentInline,
        StaffNoteInline,
        ComplaintEventInline,
        AssignmentInline,
    ]
    actions = [*STAFF_ADMIN_ACTIONS, "assign_to_me", "unassign", "export_csv"]
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
                    "paused_at",
                    "paused_total",
                    "assigned_to",
                    "staff_actions_now",
                    "duplicates_shown",
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
                    "outcomes_wanted",
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
        ("Public text", {"fields": ("description_masked", "masked_at", "timeline_head")}),
        ("Your edit", {"fields": ("edit_reason",)}),
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
        editable = set()
        if obj is not None and obj.masked_at is not None and obj.status in PUBLIC_CLOSED_STATES:
            editable.add("description_masked")
        if obj is not None and obj.status == Status.SUBMITTED:
            editable.add("business")
        names = [field.name for field in Complaint._meta.concrete_fields if field.name not in editable]
        return [*names, "waiting_on", "staff_actions_now", "outcomes_wanted", "duplicates_shown"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Complaint]:
        return super().get_queryset(request).select_related("business", "complainant", "assigned_to")

    def _assign(self, request: HttpRequest, queryset: QuerySet[Complaint], assignee: Any, reason: str) -> None:
        done = []
        for complaint in queryset.order_by("number"):
            try:
                complaint_assign(complaint_id=complaint.pk, staff=request.user, assignee=assignee, reason=reason)  # type: ignore[arg-type]
            except RedressError as error:
                self.message_user(request, f"#{complaint.number}: {error.message}", messages.ERROR)
            else:
                done.append(f"#{complaint.number}")
        if done:
            whom = "you" if assignee else "nobody"
            self.message_user(request, f"Assigned to {whom}: {', '.join(done)}.", messages.SUCCESS)

    @admin.action(description="Assign to me")
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> None:
        self._assign(request, queryset, request.user, "Taken from the complaint list.")

    @admin.action(description="Clear the assignment")
    def unassign(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> None:
        self._assign(request, queryset, None, "Cleared from the complaint list.")

    @admin.display(description="Business", ordering="business__name")
    def business_column(self, obj: Complaint) -> str:
        return obj.business_display_name if obj.business_id else f"{obj.business_name} (not listed)"

    @admin.display(boolean=True, description="Overdue")
    def is_overdue(self, obj: Complaint) -> bool:
        return obj.due_at is not None and obj.due_at < timezone.now()

    @admin.display(description="Outcomes wanted")
    def outcomes_wanted(self, obj: Complaint) -> str:
        return obj.desired_outcomes_display

    @admin.display(description="Waiting on")
    def waiting_on(self, obj: Complaint) -> str:
        return WAITING_ON.get(obj.status, "nobody (closed)")

    @admin.display(description="Duplicates")
    def duplicates_shown(self, obj: Complaint) -> str:
        links = duplicate_links(obj, staff=True, party=False)

        def cases(numbers: list[str]) -> str:
            return format_html_join(
                ", ",
                '<a href="{}">#{}</a>',
                ((reverse("complaints:detail", kwargs={"number": number}), number) for number in numbers),
            )

        parts = []
        if links.duplicate_of:
            parts.append(format_html("Rejected as a duplicate of {}", cases([links.duplicate_of])))
        if links.duplicates:
            parts.append(format_html("Rejected as duplicates of this complaint: {}", cases(links.duplicates)))
        if links.possible:
            parts.append(
                format_html(
                    "Possible duplicate of {} (reject it with the reason code “Duplicate” to link them)",
                    cases(links.possible),
                )
            )
        return format_html_join(format_html("<br{}>", ""), "{}", ((part,) for part in parts)) if parts else "none"

    @admin.display(description="Staff actions possible now")
    def staff_actions_now(self, obj: Complaint) -> str:
        return staff_actions_now(obj)

    def save_model(self, request: HttpRequest, obj: Complaint, form: forms.ModelForm, change: bool) -> None:
        # Nothing is saved from the page's copy of the complaint: each edit staff may make goes
        # through its service, under the row lock, and leaves an event with the reason given.
        if "business" in form.changed_data and obj.business is not None:
            self._run(
                request,
                lambda: complaint_business_link(
                    complaint_id=obj.pk,
                    staff=request.user,  # type: ignore[arg-type]
                    business=obj.business,  # type: ignore[arg-type]
                    reason=form.cleaned_data.get("edit_reason", ""),
                ),
                "The complaint is linked to the directory entry.",
            )

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        # Inline rows are never added or deleted here; the masked text of the complaint and of its
        # thread is replaced by one staff edit (complaint_public_text_set).
        thread = []
        for formset in formsets:
            formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
            for inline_form in formset.forms:
                if inline_form.instance.pk and "text_masked" in inline_form.changed_data:
                    thread.append(inline_form.instance)
        described = "description_masked" in form.changed_data
        if not (described or thread):
            return
        self._run(
            request,
            lambda: complaint_public_text_set(
                complaint_id=form.instance.pk,
                staff=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data.get("edit_reason", ""),
                description=form.cleaned_data["description_masked"] if described else None,
                thread=thread,
            ),
            "The published text was replaced and search follows it.",
        )

    def _run(self, request: HttpRequest, act: Any, done: str) -> None:
        try:
            act()
        except RedressError as error:
            messages_text = [m for ms in error.field_errors.values() for m in ms] or [error.message]
            self.message_user(request, " ".join(messages_text), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)

    @admin.action(description="Export the selected complaints as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Complaint]) -> HttpResponse:
        # Who exported what, and when, goes on the audit log (an export concerns no one business).
        numbers = sorted(queryset.values_list("number", flat=True))
        business_audit_record(
            business=None,
            actor=request.user,  # type: ignore[arg-type]
            kind=BusinessAuditEntry.Kind.DATA_EXPORTED,
            data={"what": "complaints CSV (admin)", "rows": len(numbers), "numbers": numbers[:1000]},
        )
        return complaints_csv(queryset)
