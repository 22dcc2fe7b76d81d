"""QuickSelect writes the same select as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from core.forms import QuickSelect

CHOICES = [
    ("", "Any"),
    ("Money", [("refund", "Refund <full>"), ("credit", "Store credit")]),
    ("access", 'Account "access"'),
]


class Both(forms.Form):
    quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect)
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    needed = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, help_text="Pick one.")


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_the_html_is_written_out_with_groups_escaping_and_the_choice_selected():
    form = Both({"quick": "credit", "plain": "credit", "needed": "access"})
    assert form.is_valid()
    assert tight(form["quick"]) == (
        '<select name="quick" id="id_quick"><option value="">Any</option>'
        '<optgroup label="Money"><option value="refund">Refund &lt;full&gt;</option>'
        '<option value="credit" selected>Store credit</option></optgroup>'
        '<option value="access">Account &quot;access&quot;</option></select>'
    )


@pytest.mark.parametrize(
    "data",
    [None, {"quick": "refund", "plain": "refund"}, {"quick": "nope", "plain": "nope"}, {"quick": "", "plain": ""}],
)
def test_it_matches_djangos_select_bound_or_not_valid_or_not(data):
    form = Both(data)
    form.is_valid()
    quick = tight(form["quick"]).replace("quick", "FIELD")
    plain = tight(form["plain"]).replace("plain", "FIELD")
    assert quick == plain


def test_required_help_text_and_errors_keep_their_attributes():
    form = Both({"needed": ""})
    assert not form.is_valid()
    assert tight(form["needed"]).startswith(
        '<select name="needed" required aria-invalid="true" '
        'aria-describedby="id_needed_helptext id_needed_error" id="id_needed">'
    )
