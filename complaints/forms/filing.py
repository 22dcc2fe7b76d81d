"""The filing wizard's forms: one per step, and the attachments chosen with the final check.

They check shape and say what each field is for; complaints.services checks the rules and has
the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Business
from core.forms import Form, QuickSelect, QuickTextarea

from ..issues import COUNTRIES, ISSUE_GROUPS, issue_belongs
from ..models import ComplaintType, DesiredOutcome
from ..services import DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_ATTACHMENTS


class BusinessStepForm(Form):
    """Step 1: the business, chosen from the directory or described."""

    # Either the directory choice or the name is needed, so no field is marked optional.
    hide_optional_hint = True

    query = forms.CharField(
        label="Search the directory",
        required=False,
        max_length=200,
        help_text="Type part of the business's name or website, then choose it from the list.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-business-search": ""}),
    )
    business = forms.ModelChoiceField(
        queryset=Business.objects.filter(is_listed=True),
        to_field_name="slug",
        required=False,
        label="Business",
        empty_label="— Choose a business —",
        help_text="Businesses in the Redress directory that match your search.",
    )
    not_listed = forms.BooleanField(
        label="The business is not in the directory",
        required=False,
        help_text="Tell us what you know about it below; staff find it and forward your complaint.",
    )
    business_name = forms.CharField(label="Business name", max_length=200, required=False)
    business_website = forms.CharField(
        label="Website", max_length=200, required=False, help_text="For example shop.example.com."
    )
    business_address = forms.CharField(label="Postal address", max_length=255, required=False)
    business_email = forms.EmailField(label="E-mail address", max_length=254, required=False)
    business_phone = forms.CharField(label="Phone number", max_length=40, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("not_listed"):
            if not (data.get("business_name") or "").strip():
                self.add_error("business_name", "Give the name of the business.")
        elif not data.get("business"):
            self.add_error(
                "business", "Choose the business from the list, or tick “not in the directory” and describe it."
            )
        return data


class DetailsStepForm(Form):
    """Step 2: what happened and what would put it right."""

    type = forms.ChoiceField(
        label="Type of complaint",
        choices=[("", "— Choose a type —"), *ComplaintType.choices],
        help_text="What the problem is mainly about.",
    )
    description = forms.CharField(
        label="What happened",
        min_length=DESCRIPTION_MIN,
        max_length=DESCRIPTION_MAX,
        help_text=(
            f"Plain text, {DESCRIPTION_MIN} to {DESCRIPTION_MAX:,} characters: dates, what you bought, what you "
            "were told, what you have done to sort it out. The business sees it exactly as written."
        ),
        widget=QuickTextarea(attrs={"rows": 10, "maxlength": DESCRIPTION_MAX}),
        error_messages={
            "min_length": f"Describe what happened in at least {DESCRIPTION_MIN} characters "
            "(you wrote %(show_value)d).",
        },
    )
    desired_outcomes = forms.MultipleChoiceField(
        label="Outcomes you want",
        choices=DesiredOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="What would settle the complaint for you. Tick every one that applies.",
        error_messages={
            "required": "Choose at least one outcome you want.",
            "invalid_choice": "Choose the outcome you want from the list.",
        },
    )
    desired_outcome_detail = forms.CharField(
        label="Outcome in your words",
        max_length=255,
        required=False,
        help_text="A short detail, such as “refund of the second charge”. Required if you chose Other.",
    )
    transaction_date = forms.DateField(
        label="Date of the transaction",
        required=False,
        help_text="When you bought, ordered or signed up.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    amount = forms.DecimalField(
        label="Amount in dispute",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="Leave empty if no money is in dispute.",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    currency = forms.CharField(
        label="Currency",
        max_length=3,
        min_length=3,
        initial="USD",
        help_text="Three-letter code, such as USD or EUR.",
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    reference = forms.CharField(
        label="Order or account reference",
        max_length=100,
        required=False,
        help_text="Helps the business find your case. Never published.",
    )

    issue = forms.ChoiceField(
        label="Issue",
        required=False,
        choices=[
            ("", "— Choose the issue —"),
            *ISSUE_GROUPS,
        ],
        help_text="What went wrong, under the type you chose. Published with the complaint.",
        widget=QuickSelect,
    )
    country = forms.ChoiceField(
        label="Your country",
        required=False,
        choices=[("", "— Choose your country —"), *COUNTRIES.items()],
        help_text="Published: the open data counts complaints by country.",
        widget=QuickSelect,
    )
    region = forms.CharField(
        label="Your state or region",
        required=False,
        max_length=100,
        help_text="Only the state or region is published, never your town or address.",
    )
    contacted_business = forms.BooleanField(
        label="I contacted the business about this before filing",
        required=False,
    )
    business_ticket_reference = forms.CharField(
        label="The business's ticket or case reference",
        required=False,
        max_length=100,
        help_text="If the business gave you one. Never published.",
    )

    def clean_currency(self) -> str:
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if not currency.isalpha():
            raise forms.ValidationError("Use a three-letter currency code such as USD or EUR.")
        return currency

    def clean_transaction_date(self) -> Any:
        value = self.cleaned_data.get("transaction_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The transaction date cannot be in the future.")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            DesiredOutcome.OTHER in (data.get("desired_outcomes") or [])
            and not (data.get("desired_outcome_detail") or "").strip()
        ):
            self.add_error("desired_outcome_detail", "Say what outcome you want.")
        issue = data.get("issue") or ""
        if issue and data.get("type") and not issue_belongs(type=data["type"], issue=issue):
            self.add_error("issue", "Choose an issue of the complaint type you chose.")
        return data


class ConsentStepForm(Form):
    """Step 3: publication consent and the affirmations."""

    publish_consent = forms.TypedChoiceField(
        label="May Redress publish the text of your complaint?",
        choices=[("yes", "Yes, publish the text with my personal details masked"), ("no", "No, keep the text private")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=(
            "Once the complaint closes, its type, dates and outcome are always shown on the business's "
            "public profile. With your consent, the text of your complaint and of the exchange is shown too, "
            "with names, e-mail addresses, phone numbers, street addresses and long numbers masked. "
            "You can change your mind until the complaint is closed."
        ),
    )
    affirm_true = forms.BooleanField(
        label="I affirm that the information in this complaint is true and accurate.",
        error_messages={"required": "You must affirm that the complaint is true."},
    )
    affirm_not_in_court = forms.BooleanField(
        label="I affirm that this matter is not, and has not been, before a court.",
        error_messages={"required": "You must affirm that the matter is not in court."},
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AttachmentsForm(Form):
    """The review step: files are chosen here, with the complaint's final check, so nothing is stored
    before the complaint exists."""

    attachments = MultipleFileField(
        label="Attachments",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
        help_text=(
            f"Up to {MAX_ATTACHMENTS} files: receipts, contracts, letters, screenshots. PDF, PNG or JPEG, "
            "10 MB each. Only you, the business and Redress staff can open them; they are never published."
        ),
    )

    def clean_attachments(self) -> list[Any]:
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(f"Attach at most {MAX_ATTACHMENTS} files.")
        return files
