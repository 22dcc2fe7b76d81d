"""The search page's form: the search API's own parameter names, so a page's address is its API query."""

from __future__ import annotations

from django import forms

from core.forms import Form, QuickSelect

from ..issues import ISSUE_GROUPS
from ..models import ComplaintType, Status
from ..search import MAX_QUERY
from ..workflow import PUBLIC_CLOSED_STATES
from .open_data import FiledDatesQueryMixin


class SearchForm(FiledDatesQueryMixin, Form):
    hide_optional_hint = True

    q = forms.CharField(
        label="Search for", max_length=MAX_QUERY, help_text="Words in the complaints, or a business's name."
    )
    type = forms.ChoiceField(
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
    status = forms.ChoiceField(
        label="How it closed",
        required=False,
        choices=[("", "Any outcome"), *((s.value, s.label) for s in Status if s in PUBLIC_CLOSED_STATES)],
        widget=QuickSelect,
    )
    business = forms.SlugField(label="Business (its address name)", required=False, max_length=220)
    date_received_min = forms.DateField(
        label="Filed on or after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_received_max = forms.DateField(
        label="Filed before", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
