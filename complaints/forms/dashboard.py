"""The representative's dashboard filter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from accounts.models import Business
from core.forms import CheckboxInput, Form, LoadedChoiceField, QuickSelect

from ..models import Status


class DashboardFilterForm(Form):
    """Narrow the queue by state, business and overdue; the businesses are those the page loaded."""

    hide_optional_hint = True

    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "All states"), *Status.choices], widget=QuickSelect
    )
    business = LoadedChoiceField(required=False, label="Business", empty_label="All businesses")
    overdue = forms.BooleanField(label="Overdue only", required=False, widget=CheckboxInput)

    def __init__(self, *args: Any, businesses: Iterable[Business] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].instances = businesses  # type: ignore[attr-defined]

    def selection(self) -> dict[str, Any]:
        """The narrowing as keyword arguments of selectors.dashboard.queue; none unless the form is valid."""
        if not self.is_valid():
            return {}
        business = self.cleaned_data.get("business")
        return {
            "status": self.cleaned_data.get("state") or "",
            "business_id": business.pk if business else None,
            "overdue_only": bool(self.cleaned_data.get("overdue")),
        }
