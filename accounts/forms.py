"""Forms for the account pages: they check shape; accounts.services checks the rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from core.forms import Form, LoadedChoiceField, NulFreeMixin, QuickEmailInput, QuickTextarea

from .models import Business
from .zones import ZONE_CHOICES

TIME_ZONE_HELP = "Dates and times are shown in this zone, on pages and in e-mails. Filled in from your browser."


def time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=ZONE_CHOICES,
        help_text=TIME_ZONE_HELP,
        widget=forms.Select(attrs={"data-time-zone": "", "autocomplete": "off"}),
    )


class SignUpForm(Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="We send a confirmation link here. Complaints reach the business once it is confirmed.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Shown to the businesses you complain about, never to the public.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=128,
        help_text=" ".join(password_validators_help_texts()),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    time_zone = time_zone_field()


class TimeZoneForm(Form):
    """The account page's time zone."""

    time_zone = time_zone_field()


class SignInForm(NulFreeMixin, AuthenticationForm):
    """Django's sign-in form with an e-mail label and autocomplete hints."""

    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class InvitationForm(Form):
    business = LoadedChoiceField(label="Business", empty_label=None)
    email = forms.EmailField(
        label="Their e-mail address",
        max_length=254,
        help_text="They receive a link that makes them a representative of this business.",
        widget=QuickEmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, businesses: Iterable[Business] = (), **kwargs: Any) -> None:
        """`businesses`: those the inviting user represents, already loaded (no query to render or check)."""
        super().__init__(*args, **kwargs)
        self.fields["business"].instances = businesses  # type: ignore[attr-defined]


class InvitationRevokeForm(Form):
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=500,
        help_text="Kept on the business's record of acts.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class RepresentationRequestForm(Form):
    business = forms.ModelChoiceField(
        queryset=Business.objects.filter(is_listed=True).order_by("name"),
        label="Business",
        help_text="The business you work for. Staff check your request before you see its complaints.",
    )
    message = forms.CharField(
        label="How you are connected to the business",
        required=False,
        max_length=2000,
        help_text="For example your role, and an address at the business's own domain.",
        widget=QuickTextarea(attrs={"rows": 4}),
    )


class MfaSetupForm(Form):
    code = forms.CharField(
        label="Code from your app",
        max_length=20,
        help_text="The 6 digits your authenticator app shows for Redress.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class MfaVerifyForm(Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordConfirmForm(Form):
    """The signed-in user's password again, before a change to how they sign in."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class AccountDeleteForm(Form):
    password = forms.CharField(
        label="Your password",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Asked again, so that no one else can delete your account from a session you left open.",
    )
    confirm = forms.BooleanField(
        label="I understand: my open complaints are withdrawn and I can no longer sign in.",
        error_messages={"required": "Tick the box to confirm that the account is to be deleted."},
    )
