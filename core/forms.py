"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model

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
