"""Forms of the case page: a message (a response, an answer, the reason for an action) and consent.

complaints.services and disputes.services check the rules and have the last word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from core.forms import Form

from ..issues import ResponseOutcome


class MessageForm(Form):
    """A response, an answer, or the reason for an action."""

    text = forms.CharField(label="Message", max_length=10_000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, label: str = "Message", required: bool = True, help_text: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].required = required
        self.fields["text"].help_text = help_text


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
