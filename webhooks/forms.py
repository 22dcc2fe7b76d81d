from __future__ import annotations

from django import forms

from core.forms import Form

from .models import EventType


class EndpointForm(Form):
    url = forms.CharField(
        label="URL", max_length=500, help_text="Where Redress sends deliveries (https in production)."
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What is delivered to this URL.",
    )
