"""The profile's filters by issue and place, checked so a wrong value is said beside its field.

The profile's status, type, sort and search keep their own lenient reading (complaints.views.public);
issue, country and region are checked here, for the page and the API alike (docs/api.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from core.forms import Form, QuickSelect

from ..issues import COUNTRIES, ISSUE_GROUPS


class ProfileFilterForm(Form):
    hide_optional_hint = True

    issue = forms.ChoiceField(
        label="Issue",
        required=False,
        choices=[("", "Any issue"), *ISSUE_GROUPS],
        error_messages={"invalid_choice": "Choose an issue from the list."},
        widget=QuickSelect,
    )
    country = forms.ChoiceField(
        label="Country",
        required=False,
        choices=[("", "Any country"), *COUNTRIES.items()],
        error_messages={"invalid_choice": "Choose a country from the list (an ISO 3166-1 alpha-2 code)."},
        widget=QuickSelect,
    )
    region = forms.CharField(label="State or region", required=False, max_length=100)

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        if data is not None and data.get("country"):
            # A country code is read whatever its case: `us` is the United States.
            data = data.copy() if hasattr(data, "copy") else dict(data)
            data["country"] = str(data["country"]).strip().upper()  # type: ignore[index]
        super().__init__(data, **kwargs)

    def filters(self) -> dict[str, str]:
        """The filters that were given and are valid; a wrong one is left out (and its error shown)."""
        if not self.is_bound:
            return {"issue": "", "country": "", "region": ""}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: str(cleaned.get(name) or "").strip() for name in ("issue", "country", "region")}
