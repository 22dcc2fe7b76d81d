"""Forms of the case page: a message (a response, an answer, the reason for an action) and consent.

complaints.services and disputes.services check the rules and have the last word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.forms import Form, QuickTextarea

from ..issues import ResponseOutcome
from ..services import MAX_ATTACHMENTS
from .filing import MultipleFileField, MultipleFileInput

ATTACHMENTS_HELP = (
    f"Up to {MAX_ATTACHMENTS} files, PDF, PNG or JPEG, 10 MB each. Only the complainant, the business and "
    "Redress staff can open them; they are never published."
)


def attachments_field() -> MultipleFileField:
    """The files sent with a message or a staff act; the service checks each by its content."""
    return MultipleFileField(
        label="Files to send with it",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
        help_text=ATTACHMENTS_HELP,
    )


def attachments_clean(form: forms.Form) -> list[Any]:
    """The chosen files, refused as a form error beyond the limit."""
    files = form.cleaned_data.get("attachments") or []
    if len(files) > MAX_ATTACHMENTS:
        raise forms.ValidationError(f"Attach at most {MAX_ATTACHMENTS} files.")
    return files


class MessageForm(Form):
    """A response, an answer, or the reason for an action; with `files`, the files sent with it."""

    text = forms.CharField(label="Message", max_length=10_000, widget=QuickTextarea(attrs={"rows": 6}))

    def __init__(
        self,
        *args: Any,
        label: str = "Message",
        required: bool = True,
        help_text: str = "",
        files_field: bool = False,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required
        self.fields["text"].help_text = help_text
        if files_field:
            self.fields["attachments"] = attachments_field()

    def clean_attachments(self) -> list[Any]:
        return attachments_clean(self)


class StaffNoteForm(Form):
    """A private note on the case, for staff only."""

    text = forms.CharField(
        label="Private note",
        max_length=10_000,
        widget=QuickTextarea(attrs={"rows": 4}),
        help_text="Only Redress staff read it: never the complainant, the business or the public. "
        "It cannot be changed afterwards.",
    )


class ConsentChangeForm(Form):
    publish_consent = forms.TypedChoiceField(
        label="Publication of the text",
        choices=[("yes", "Publish the text, masked"), ("no", "Keep the text private")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


class ResponseForm(MessageForm):
    """A business response, with the outcome the business gives (disputes.services checks the pair)."""

    outcome = forms.ChoiceField(
        label="Outcome",
        required=False,
        choices=[("", "Choose the outcome"), *ResponseOutcome.choices],
        help_text="What you did about the complaint. It is shown with the published complaint and in the open data.",
    )
    relief_amount = forms.DecimalField(
        label="Amount paid or credited",
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="With monetary relief only.",
    )
