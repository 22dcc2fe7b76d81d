"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model

from .errors import RedressError
from .input import NUL_MESSAGE, fields_with_nul, without_nul


def add_service_errors(form: forms.Form, error: RedressError) -> None:
    """Show a service's refusal beside the fields it names, or above the form."""
    placed = False
    for field, messages in error.field_errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, error.message or "That could not be done.")


class LoadedChoiceField(forms.ChoiceField):
    """A choice of one of the model instances a page has already loaded.

    Like ModelChoiceField (the value is the primary key, the label `str(instance)`, the cleaned
    value the instance), but rendering and validating run no query: a page that needs the same
    rows for several forms loads them once.
    """

    default_error_messages = {"invalid_choice": forms.ModelChoiceField.default_error_messages["invalid_choice"]}

    def __init__(self, *, instances: Iterable[Model] = (), empty_label: str | None = "---------", **kwargs: Any):
        self.empty_label = empty_label
        super().__init__(**kwargs)
        self.instances = instances

    @property
    def instances(self) -> list[Model]:
        return list(self._instances.values())

    @instances.setter
    def instances(self, instances: Iterable[Model]) -> None:
        self._instances = {str(instance.pk): instance for instance in instances}
        empty = [] if self.empty_label is None else [("", self.empty_label)]
        self.choices = [*empty, *((key, str(instance)) for key, instance in self._instances.items())]

    def clean(self, value: Any) -> Model | None:
        key = super().clean(value)
        return self._instances.get(str(key)) if key not in self.empty_values else None


class NulFreeMixin:
    """Refuse a NUL character in any field of a bound form, with a message beside the field.

    The NUL is removed from the form's data at once, so code that reads `form.data` (a search
    box, a choice shown again) never sends it to PostgreSQL, and the value shown again can be
    sent as it is. Every Redress form has this mixin (tests/test_input_limits.py checks it).
    """

    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nul_keys: set[str] = set()
        if getattr(self, "is_bound", False):
            self.nul_keys = set(fields_with_nul(self.data))
            if self.nul_keys:
                self.data = without_nul(self.data)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if not self.nul_keys:
            return
        form: Any = self
        for name in form.fields:
            if form.add_prefix(name) in self.nul_keys:
                form.add_error(name, NUL_MESSAGE)


class Form(NulFreeMixin, forms.Form):
    """The base of Redress's forms."""


class ModelForm(NulFreeMixin, forms.ModelForm):
    """The base of Redress's model forms (the admin's change pages)."""
