"""The search page's form: the search API's own parameter names, so a page's address is its API query."""

from __future__ import annotations

from django import forms

from core.forms import Form

from ..issues import ISSUES
from ..models import ComplaintType, Status
from ..search import MAX_QUERY
from ..workflow import PUBLIC_CLOSED_STATES


class SearchForm(Form):
    hide_optional_hint = True

    q = forms.CharField(
        label="Search for", max_length=MAX_QUERY, help_text="Words in the complaints, or a business's name."
    )
    type = forms.ChoiceField(
        label="Type of complaint", required=False, choices=[("", "Any type"), *ComplaintType.choices]
    )
    issue = forms.ChoiceField(
        label="Issue",
        required=False,
        choices=[("", "Any issue"), *((str(ComplaintType(t).label), issues) for t, issues in ISSUES.items())],
    )
    status = forms.ChoiceField(
        label="How it closed",
        required=False,
        choices=[("", "Any outcome"), *((s.value, s.label) for s in Status if s in PUBLIC_CLOSED_STATES)],
    )
    business = forms.SlugField(label="Business (its address name)", required=False, max_length=220)
    date_received_min = forms.DateField(
        label="Filed on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_received_max = forms.DateField(
        label="Filed before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        low, high = data.get("date_received_min"), data.get("date_received_max")
        if low and high and high <= low:  # type: ignore[operator]
            self.add_error("date_received_max", "Give a day after the first one.")
        return data

    def parameters(self) -> dict[str, str]:
        """The search as query parameters of the search API."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else str(value)
            for name, value in self.cleaned_data.items()
            if value
        }
