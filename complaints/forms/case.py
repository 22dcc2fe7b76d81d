"""Forms of the case page: a message (a response, an answer, the reason for an action) and consent.

complaints.services and disputes.services check the rules and have the last word."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import Form


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
