"""Forms for the exchange after filing and for staff acting on one case. The rules live in disputes.services."""

from __future__ import annotations

from typing import Any

from django import forms

from complaints.forms.case import MessageForm, ResponseForm, attachments_clean, attachments_field
from complaints.models import RejectReason
from complaints.workflow import REASON_REQUIRED
from core.forms import Form, QuickTextarea

from .models import MediationCase

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
    """The intermediate page of a staff action: why, for some actions a code or a kind; with `files_field`,
    the files sent with it (chosen on the confirmation step, as the parties choose theirs)."""

    reason = forms.CharField(
        widget=QuickTextarea(attrs={"rows": 4, "cols": 80}),
        required=False,
        max_length=5000,
        help_text="Recorded on the complaint's timeline and shown to the parties.",
    )

    def __init__(self, *args: Any, action: str, files_field: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["reason"].required = action in REASON_REQUIRED
        if action == "reject":
            self.fields["reject_reason"] = forms.ChoiceField(label="Reason code", choices=RejectReason.choices)
            self.fields["duplicate_of"] = forms.CharField(
                label="Duplicate of complaint #",
                required=False,
                max_length=8,
                help_text="For a duplicate: the number of the complaint it repeats; both cases then show the link.",
            )
        if action == "open_mediation":
            self.fields["mediation_kind"] = forms.ChoiceField(label="Kind", choices=MediationCase.Kind.choices)
        if files_field:
            self.fields["attachments"] = attachments_field()

    def clean_attachments(self) -> list[Any]:
        return attachments_clean(self)


__all__ = ["STAFF_ACTION_LABELS", "MessageForm", "ResponseForm", "StaffActionForm"]
