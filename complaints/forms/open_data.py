"""The Data page's filters: the open data's own parameter names, so the download link carries them."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import Form, QuickSelect

from ..issues import COUNTRIES, ISSUE_GROUPS
from ..models import ComplaintType


class FiledDatesQueryMixin:
    """A form of filters whose page address is an API query: filing dates in order, and the
    parameters given, named as the API names them (the Data page and the search page)."""

    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}  # type: ignore[misc]
        low, high = data.get("date_received_min"), data.get("date_received_max")
        if low and high and high <= low:
            self.add_error("date_received_max", "Give a day after the first one.")  # type: ignore[attr-defined]
        return data

    def parameters(self) -> dict[str, str]:
        """The filters given, as query parameters of the API."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else str(value)
            for name, value in self.cleaned_data.items()
            if value
        }


class OpenDataFilterForm(FiledDatesQueryMixin, Form):
    hide_optional_hint = True

    product = forms.ChoiceField(
        label="Type of complaint",
        required=False,
        choices=[("", "Any type"), *ComplaintType.choices],
        widget=QuickSelect,
    )
    issue = forms.ChoiceField(
        label="Issue",
        required=False,
        choices=[("", "Any issue"), *ISSUE_GROUPS],
        widget=QuickSelect,
    )
    date_received_min = forms.DateField(
        label="Filed on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_received_max = forms.DateField(
        label="Filed before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    country = forms.ChoiceField(
        label="Country", required=False, choices=[("", "Any country"), *COUNTRIES.items()], widget=QuickSelect
    )
    state = forms.CharField(label="State or region", required=False, max_length=100)
    search_term = forms.CharField(label="Words in the published text", required=False, max_length=200)
