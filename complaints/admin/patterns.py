"""Pattern reviews for staff: the open queue, and on each review its counts, its complaints and the decision.

Staff confirm (publishing the alert they edit from a prefilled text) or dismiss with a reason;
the decision goes through its service, onto the business's audit log. A decided review is read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.services import ALERT_MAX
from core.admin import StaffAccessMixin
from core.errors import RedressError
from core.forms import ModelForm

from ..models import PatternReview
from ..patterns import ALPHA, alert_default
from ..services.patterns import pattern_review_confirm, pattern_review_dismiss

DECISIONS = [("", "Decide later"), ("confirm", "Confirm and publish the alert"), ("dismiss", "Dismiss")]


class PatternReviewForm(ModelForm):
    decision = forms.ChoiceField(choices=DECISIONS, required=False, widget=forms.RadioSelect)
    alert_text = forms.CharField(
        label="Alert to publish",
        required=False,
        max_length=ALERT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 90}),
        help_text="Shown on the business's public profile with today's date when you confirm. Edit it freely.",
    )
    decision_reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 90}),
        help_text="Required to dismiss; kept on the business's audit log either way.",
    )

    class Meta:
        model = PatternReview
        fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if decision == "confirm":
            alert = (cleaned.get("alert_text") or "").strip()
            if not alert:
                self.add_error("alert_text", "Write the alert to publish.")
            elif alert == self.instance.business.alert:
                self.add_error("alert_text", "The profile's alert already reads like this.")
        if decision == "dismiss" and not (cleaned.get("decision_reason") or "").strip():
            self.add_error("decision_reason", "Say why the review is dismissed.")
        return cleaned


@admin.register(PatternReview)
class PatternReviewAdmin(StaffAccessMixin, admin.ModelAdmin):
    form = PatternReviewForm
    list_display = ["week", "business", "compared", "observed", "baseline_shown", "p_value_shown", "status"]
    list_filter = ["status", "scope", "week"]
    list_select_related = ["business"]
    search_fields = ["business__name"]
    ordering = ["status", "-opened_at"]
    readonly_fields = [
        "business",
        "compared",
        "week",
        "window_start",
        "window_end",
        "observed",
        "baseline_total",
        "baseline_shown",
        "p_value_shown",
        "complaints_listed",
        "status",
        "opened_at",
        "decided_by",
        "decided_at",
        "reason",
        "alert",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: PatternReview | None = None) -> Any:
        sets: list[Any] = [
            ("Business and week", {"fields": ("business", "compared", "week", "window_start", "window_end")}),
            ("Test", {"fields": ("observed", "baseline_total", "baseline_shown", "p_value_shown")}),
            ("Complaints of the week", {"fields": ("complaints_listed",)}),
            ("Decision", {"fields": ("status", "opened_at", "decided_by", "decided_at", "reason", "alert")}),
        ]
        if obj is not None and obj.status == PatternReview.Status.OPEN:
            sets.append(("Your decision", {"fields": ("decision", "alert_text", "decision_reason")}))
        return sets

    def get_form(self, request: HttpRequest, obj: PatternReview | None = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            form.base_fields["alert_text"].initial = alert_default(
                scope_label=obj.scope_label,
                decided=timezone.localdate(),
                observed=obj.observed,
                baseline_mean=obj.baseline_total / 12,
            )
        return form

    def get_queryset(self, request: HttpRequest) -> QuerySet[PatternReview]:
        return super().get_queryset(request).select_related("business", "decided_by")

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # opened by the weekly comparison only

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description="Compared")
    def compared(self, obj: PatternReview) -> str:
        return obj.scope_label

    @admin.display(description="Baseline (a week)")
    def baseline_shown(self, obj: PatternReview) -> str:
        return f"{obj.baseline_total / 12:.2f} (test used {obj.baseline_mean:.2f})"

    @admin.display(description="P(X ≥ observed)")
    def p_value_shown(self, obj: PatternReview) -> str:
        return f"{obj.p_value:.2g} (opens below {ALPHA:g})"

    @admin.display(description="Complaints")
    def complaints_listed(self, obj: PatternReview) -> str:
        rows = obj.complaints.order_by("filed_at").values_list("pk", "number", "filed_at", "type")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">#{}</a> filed {}, {}</li>',
                (
                    (reverse("admin:complaints_complaint_change", args=[pk]), number, f"{filed:%d %b %Y}", kind)
                    for pk, number, filed, kind in rows
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: PatternReview, form: forms.ModelForm, change: bool) -> None:
        # Nothing on the review is edited here: the decision goes through its service.
        decision = form.cleaned_data.get("decision")
        try:
            if decision == "confirm":
                pattern_review_confirm(
                    review_id=obj.pk,
                    staff=request.user,  # type: ignore[arg-type]
                    alert=form.cleaned_data["alert_text"],
                    reason=form.cleaned_data.get("decision_reason", ""),
                )
                self.message_user(request, f"The alert is published on {obj.business.name}'s profile.")
            elif decision == "dismiss":
                pattern_review_dismiss(
                    review_id=obj.pk,
                    staff=request.user,  # type: ignore[arg-type]
                    reason=form.cleaned_data["decision_reason"],
                )
        except RedressError as error:
            self.message_user(request, error.message, messages.ERROR)

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        pass  # the listed complaints are the comparison's, not staff's
