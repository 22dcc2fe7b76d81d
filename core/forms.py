"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

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


class QuickSelect(forms.Select):
    """A single-choice select written out in Python, its options once per set of choices.

    Django's Select renders each option through its own template: a list of every country and
    the issues of every type is about 300 template renders, most of a public page's time. This
    writes the same HTML (attributes in the same order, option groups, the chosen option
    `selected`, every value and label escaped), and keeps the options' HTML per language and
    choices, so a page marks the chosen option in a copy rather than escaping 250 labels again.
    """

    # Per language and set of choices: each top-level entry (an option, or a group with its
    # options) as escaped HTML, with the option values it holds.
    _entries: ClassVar[dict[tuple[Any, ...], list[tuple[frozenset[str], SafeString]]]] = {}
    _entries_kept = 64  # sets of choices kept; static lists, so a handful in practice
    # The options' HTML with these values chosen (only values of the list: any other reads as none).
    _joined: ClassVar[dict[tuple[Any, ...], SafeString]] = {}
    _joined_kept = 1024

    @staticmethod
    def _entry(key: str, label: Any, chosen: set[str]) -> SafeString:
        def option(k: str, v: str) -> SafeString:
            return format_html('<option value="{}"{}>{}</option>', k, " selected" if k in chosen else "", v)

        if isinstance(label, tuple):  # an option group: (group label, its choices)
            inner = format_html_join("", "{}", ((option(k, v),) for k, v in label))
            return format_html('<optgroup label="{}">{}</optgroup>', key, inner)
        return option(key, label)

    def _plain_entries(self) -> tuple[list[tuple[str, Any]], list[tuple[frozenset[str], SafeString]]]:
        flat: list[tuple[str, Any]] = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                flat.append((str(key), tuple((str(k), str(v)) for k, v in label)))
            else:
                flat.append((str(key), str(label)))
        cache_key = (get_language(), tuple(flat))
        entries = self._entries.get(cache_key)
        if entries is None:
            entries = [
                (
                    frozenset(k for k, _ in label) if isinstance(label, tuple) else frozenset([key]),
                    self._entry(key, label, set()),
                )
                for key, label in flat
            ]
            if len(self._entries) >= self._entries_kept:
                self._entries.clear()
            self._entries[cache_key] = entries
        return flat, entries

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        # In the widget template's order (name first), where flatatt would sort them.
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in final.items()
                if value is not None and value is not False
            ),
        )
        flat, entries = self._plain_entries()
        known = frozenset().union(*(values for values, _ in entries))
        chosen = frozenset(str(v) for v in self.format_value(value)) & known
        joined_key = (get_language(), tuple(flat), chosen)
        options = self._joined.get(joined_key)
        if options is None:
            # The kept HTML, but for the entries holding a chosen value, written again with it selected.
            pieces = (
                self._entry(key, label, set(chosen)) if values & chosen else html
                for (key, label), (values, html) in zip(flat, entries, strict=True)
            )
            options = format_html_join("", "{}", ((piece,) for piece in pieces))
            if len(self._joined) >= self._joined_kept:
                self._joined.clear()
            self._joined[joined_key] = options
        return format_html("<select{}>{}</select>", attributes, options)


class LoadedChoiceField(forms.ChoiceField):
    """A choice of one of the model instances a page has already loaded.

    Like ModelChoiceField (the value is the primary key, the label `str(instance)`, the cleaned
    value the instance), but rendering and validating run no query: a page that needs the same
    rows for several forms loads them once.
    """

    widget = QuickSelect
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
