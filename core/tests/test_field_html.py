"""`fields_html` writes the same bytes as includes/fields.html, for every kind of field it meets."""

import pytest
from django import forms
from django.template.loader import render_to_string

from core.forms import CheckboxInput, Form, QuickTextarea, field_html, fields_html


class Every(Form):
    text = forms.CharField(label="What <happened>", max_length=20, help_text="Say it & be brief.", widget=QuickTextarea)
    optional = forms.CharField(label="Reference", required=False)
    agree = forms.BooleanField(
        label="I agree", required=False, help_text="You can change it later.", widget=CheckboxInput
    )
    choice = forms.ChoiceField(
        label="Which", choices=[("a", "A & <b>"), ("b", "B")], widget=forms.RadioSelect, help_text="Pick one."
    )
    many = forms.MultipleChoiceField(
        label="Several", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)


class NoHint(Every):
    hide_optional_hint = True


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"text": "ok", "choice": "a", "many": ["x"], "agree": "on", "token": "t"},
        {"text": "x" * 21, "optional": '"><script>', "choice": "zzz", "many": ["q"]},
    ],
)
@pytest.mark.parametrize("form_class", [Every, NoHint])
def test_it_matches_the_template_bound_or_not_valid_or_not(form_class, data):
    form = form_class(data)
    if data is not None:
        form.is_valid()
    assert fields_html(form) == render_to_string("includes/fields.html", {"form": form})
    assert form.fields_html == fields_html(form)


def test_one_optional_field_reads_as_written():
    form = Every()
    assert field_html(form["optional"], form) == (
        '\n<div class="field" id="field-optional">\n  \n'
        '    <label for="id_optional">Reference <span class="optional">(optional)</span></label>\n'
        "    \n    \n\n"
        '    <input type="text" name="optional" id="id_optional">\n  \n</div>\n'
    )


def test_an_error_and_help_are_escaped_and_linked_to_the_field():
    form = Every({"text": "<" * 21})
    form.is_valid()
    html = field_html(form["text"], form)
    assert '<div class="field field--error" id="field-text">' in html
    assert '<label for="id_text">What &lt;happened&gt;</label>' in html
    assert '<p class="help" id="id_text_helptext">Say it &amp; be brief.</p>' in html
    assert (
        '<ul class="errorlist" id="id_text_errors"><li><span class="visually-hidden">Error: </span>'
        "Ensure this value has at most 20 characters (it has 21).</li></ul>"
    ) in html
    assert "&lt;&lt;&lt;" in html
