"""Staff actions on the complaint list: each asks for the reason on an intermediate page, then
applies the action to every selected complaint through the service (`complaint_staff_act`),
which checks the workflow and writes the event. A refusal becomes a message, never an error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from core.errors import RedressError
from core.forms import Form
from disputes.models import MediationCase
from disputes.services import STAFF_ACTIONS, complaint_staff_act

from ..models import Complaint, RejectReason
from ..services import complaint_facts
from ..workflow import REASON_REQUIRED, Actor, events_for

STAFF_ACTION_LABELS = {
    "forward": "Forward to the business",
    "hold": "Put on hold (no automatic forwarding)",
    "resume": "End the hold (the screening clock resumes)",
    "reject": "Reject as ineligible",
    "unpursuable": "Close as unpursuable (business cannot be located)",
    "rule_answered": "Rule: good-faith effort (Answered)",
    "rule_unresolved": "Rule: no good-faith effort (Unresolved)",
    "open_mediation": "Open mediation or arbitration",
    "mediation_resolved": "Mediation: agreement reached (Resolved)",
    "mediation_unresolved": "Mediation: business refused the award (Unresolved)",
    "reopen": "Reopen to the state it left",
}


class StaffActionForm(Form):
    """The intermediate page of a staff action: why, and for some actions a code or a kind."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        max_length=5000,
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


def staff_action(action: str) -> Callable[..., HttpResponse | None]:
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


def staff_actions_now(complaint: Complaint) -> str:
    """The staff actions the workflow allows on this complaint now, for its change page."""
    events = set(events_for(complaint.status, Actor.STAFF, complaint_facts(complaint)))
    labels = [STAFF_ACTION_LABELS[event] for event in STAFF_ACTIONS if event in events]
    hint = " Use the actions on the complaint list." if labels else ""
    return ("; ".join(labels) or "none") + "." + hint


STAFF_ADMIN_ACTIONS = [staff_action(action) for action in STAFF_ACTIONS]
