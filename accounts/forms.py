"""Forms for the account pages: they check shape; accounts.services checks the rules."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts

from core.forms import LoadedChoiceField

from .models import Business


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
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
        help_text=" ".join(password_validators_help_texts()),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SignInForm(AuthenticationForm):
    """Django's sign-in form with an e-mail label and autocomplete hints."""

    username = forms.EmailField(
        label="E-mail address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class InvitationForm(forms.Form):
    business = LoadedChoiceField(label="Business", empty_label=None)
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="They receive a link that makes them a representative of this business.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, businesses: Iterable[Business] = (), **kwargs: Any) -> None:
        """`businesses`: those the inviting user represents, already loaded (no query to render or check)."""
        super().__init__(*args, **kwargs)
        self.fields["business"].instances = businesses  # type: ignore[attr-defined]


class RepresentationRequestForm(forms.Form):
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
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AccountDeleteForm(forms.Form):
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
