"""QuickInput writes the same input as Django's widgets, without their templates."""

import pytest
from django import forms

from core.forms import CheckboxInput, QuickEmailInput


class Both(forms.Form):
    quick_email = forms.EmailField(
        max_length=254, help_text="Where.", widget=QuickEmailInput(attrs={"autocomplete": "off"})
    )
    plain_email = forms.EmailField(
        max_length=254, help_text="Where.", widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    quick_box = forms.BooleanField(required=False, widget=CheckboxInput)
    plain_box = forms.BooleanField(required=False)


def same(form: Both, name: str) -> None:
    quick = str(form[f"quick_{name}"]).replace(f"quick_{name}", "FIELD")
    plain = str(form[f"plain_{name}"]).replace(f"plain_{name}", "FIELD")
    assert quick == plain


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"quick_email": "a@example.com", "plain_email": "a@example.com"},
        {"quick_email": '"><script>x</script>', "plain_email": '"><script>x</script>'},
        {"quick_box": "on", "plain_box": "on"},
        {"quick_box": "false", "plain_box": "false"},
    ],
)
def test_it_matches_djangos_inputs_bound_or_not_valid_or_not(data):
    form = Both(data)
    form.is_valid()
    same(form, "email")
    same(form, "box")


def test_the_value_is_escaped_and_an_error_described():
    form = Both({"quick_email": '"><b>'})
    assert not form.is_valid()
    assert str(form["quick_email"]) == (
        '<input type="email" name="quick_email" value="&quot;&gt;&lt;b&gt;" autocomplete="off" maxlength="254" '
        'required aria-invalid="true" aria-describedby="id_quick_email_helptext id_quick_email_error" '
        'id="id_quick_email">'
    )


def test_the_checkbox_keeps_its_widget_type_for_the_field_template():
    assert Both()["quick_box"].widget_type == "checkbox"
