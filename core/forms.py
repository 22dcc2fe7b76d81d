"""Form helpers every app's pages share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
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


def _attributes(attrs: dict[str, Any]) -> SafeString:
    """A widget's attributes as its template writes them, in order: `True` bare, `None` and `False` left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not None and value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A single-choice select written out in Python, its options kept once written.

    Django's Select renders each option through its own template: a list of every country and
    the issues of every type is about 300 template renders, most of a public page's time. This
    writes the same HTML (attributes in the same order, option groups, the chosen option
    `selected`, every value and label escaped), and keeps the options' HTML per language,
    choices and chosen value; a chosen value not in the list reads as none, so input cannot
    grow what is kept.
    """

    _options: ClassVar[dict[tuple[Any, ...], SafeString]] = {}
    _options_kept = 1024

    def _choices_flat(self) -> tuple[tuple[str, Any], ...]:
        """The choices as strings: (value, label), or (group label, ((value, label), ...)) for a group."""
        return tuple(
            (str(key), tuple((str(k), str(v)) for k, v in label))
            if isinstance(label, list | tuple)
            else (str(key), str(label))
            for key, label in self.choices
        )

    @staticmethod
    def _options_html(flat: tuple[tuple[str, Any], ...], chosen: frozenset[str]) -> SafeString:
        def option(k: str, v: str) -> SafeString:
            return format_html('<option value="{}"{}>{}</option>', k, " selected" if k in chosen else "", v)

        def entry(key: str, label: Any) -> SafeString:
            if isinstance(label, tuple):  # an option group
                inner = format_html_join("", "{}", ((option(k, v),) for k, v in label))
                return format_html('<optgroup label="{}">{}</optgroup>', key, inner)
            return option(key, label)

        return format_html_join("", "{}", ((entry(key, label),) for key, label in flat))

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        # In the widget template's order (name first), where flatatt would sort them.
        attributes = _attributes({"name": name, **self.build_attrs(self.attrs, attrs)})
        flat = self._choices_flat()
        chosen = frozenset(str(v) for v in self.format_value(value))
        options = self._options.get((get_language(), flat, chosen))
        if options is None:
            # Kept only under values of the list: another reads as none chosen.
            known: set[str] = set()
            for key, label in flat:
                known.update(k for k, _ in label) if isinstance(label, tuple) else known.add(key)
            chosen &= known
            kept_key = (get_language(), flat, chosen)
            options = self._options.get(kept_key)
            if options is None:
                options = self._options_html(flat, chosen)
                if len(self._options) >= self._options_kept:
                    self._options.clear()
                self._options[kept_key] = options
        return format_html("<select{}>{}</select>", attributes, options)


class QuickInput(forms.widgets.Input):
    """An input written out in Python: the HTML of Django's `input.html` and `attrs.html`, without the two templates.

    The type, the name, the value when there is one, then the attributes in the template's order;
    every value escaped.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = widget["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            format_html(' value="{}"', shown) if shown is not None else "",
            _attributes(widget["attrs"]),
        )


class QuickTextarea(forms.Textarea):
    """A textarea written out in Python: the HTML of Django's `textarea.html` and `attrs.html`, without the templates.

    The name, then the attributes in the template's order, a line break, and the value when
    there is one; every value escaped.
    """

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attributes(widget["attrs"]), widget["value"] or ""
        )


class QuickEmailInput(QuickInput, forms.EmailInput):
    pass


class CheckboxInput(QuickInput, forms.CheckboxInput):
    """Django's checkbox, written out; checked when its value is."""

    # Named as Django's: BoundField.widget_type, which includes/field.html tests for "checkbox", comes from the name.


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


def _field_errors_html(field: BoundField) -> str:
    """includes/field_errors.html, written out."""
    if not field.errors:
        return "\n"
    items = "".join(
        f'<li><span class="visually-hidden">Error: </span>{conditional_escape(str(error))}</li>'
        for error in field.errors
    )
    return f'<ul class="errorlist" id="{conditional_escape(field.auto_id)}_errors">{items}</ul>\n'


def field_html(field: BoundField, form: forms.BaseForm) -> SafeString:
    """includes/field.html for one field, written out in Python with the same bytes.

    The template costs about 0.1 ms a field through the include machinery; the case page writes
    a dozen of them. core/tests/test_field_html.py holds the two to the same output.
    """
    label = conditional_escape(field.label)
    helptext_id = f"{conditional_escape(field.auto_id)}_helptext"
    help_html = f'<p class="help" id="{helptext_id}">{conditional_escape(field.help_text)}</p>'
    help_html = help_html if field.help_text else ""
    label_for = conditional_escape(field.id_for_label)
    errors = _field_errors_html(field)
    kind = field.widget_type
    if kind == "checkbox":
        body = (
            f"\n    {errors}\n"
            f'    <div class="checkbox">{field} <label for="{label_for}">{label}</label></div>\n'
            f"    {help_html}\n  "
        )
    elif kind in ("radioselect", "checkboxselectmultiple"):
        described = f' aria-describedby="{helptext_id}"' if field.help_text else ""
        box = "radio" if kind == "radioselect" else "checkbox"
        choices = "".join(
            f'<div class="{box}">{choice.tag()} <label for="{conditional_escape(choice.id_for_label)}">'
            f"{conditional_escape(choice.choice_label)}</label></div>"
            for choice in field
        )
        body = (
            f"\n    <fieldset{described}>\n      <legend>{label}</legend>\n      {help_html}\n"
            f"      {errors}\n      {choices}\n    </fieldset>\n  "
        )
    else:
        optional = (
            ' <span class="optional">(optional)</span>'
            if not field.field.required and not getattr(form, "hide_optional_hint", False)
            else ""
        )
        body = (
            f'\n    <label for="{label_for}">{label}{optional}</label>\n    {help_html}\n    {errors}\n    {field}\n  '
        )
    error_class = " field--error" if field.errors else ""
    return mark_safe(  # nosec B308 B703 -- every value is escaped or a widget's own HTML
        f'\n<div class="field{error_class}" id="field-{conditional_escape(field.html_name)}">\n  {body}\n</div>\n'
    )


def fields_html(form: forms.BaseForm) -> SafeString:
    """includes/fields.html, written out: the hidden fields, then each visible field labelled."""
    hidden = "".join(str(field) for field in form.hidden_fields())
    visible = "".join(field_html(field, form) for field in form.visible_fields())
    return mark_safe(f"{hidden}{visible}\n")  # nosec B308 B703 -- safe HTML only


class Form(NulFreeMixin, forms.Form):
    """The base of Redress's forms. `{{ form.fields_html }}` writes includes/fields.html for it in Python."""

    @property
    def fields_html(self) -> SafeString:
        return fields_html(self)


class ModelForm(NulFreeMixin, forms.ModelForm):
    """The base of Redress's model forms (the admin's change pages)."""
