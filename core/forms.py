"""Form helpers every app's pages share."""

from __future__ import annotations

from django import forms

from .errors import RedressError


def add_service_errors(form: forms.Form, error: RedressError) -> None:
    """Show a service's refusal beside the fields it names, or above the form."""
    placed = False
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message or "That could not be done.")
