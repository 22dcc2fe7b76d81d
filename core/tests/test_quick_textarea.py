"""QuickTextarea writes the same textarea as Django's, without its two templates."""

import pytest
from django import forms

from core.forms import QuickTextarea


class Both(forms.Form):
    quick = forms.CharField(
        max_length=100, help_text="What happened.", widget=QuickTextarea(attrs={"rows": 4, "cols": 80})
    )
    plain = forms.CharField(
        max_length=100, help_text="What happened.", widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
    )
    quick_optional = forms.CharField(required=False, widget=QuickTextarea(attrs={"disabled": False, "readonly": True}))
    plain_optional = forms.CharField(required=False, widget=forms.Textarea(attrs={"disabled": False, "readonly": True}))


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "One line",
        "First line\nSecond line\r\n",
        '</textarea><script>alert("x")</script> & \'',
        "x" * 101,
    ],
)
def test_it_matches_djangos_textarea_bound_or_not_valid_or_not(text):
    form = Both(
        None if text is None else {"quick": text, "plain": text, "quick_optional": text, "plain_optional": text}
    )
    form.is_valid()
    for name in ("", "_optional"):
        quick = str(form[f"quick{name}"]).replace(f"quick{name}", "FIELD")
        plain = str(form[f"plain{name}"]).replace(f"plain{name}", "FIELD")
        assert quick == plain


def test_the_text_is_escaped_after_a_line_break_and_an_error_described():
    form = Both({"quick": "", "plain": ""})
    assert not form.is_valid()
    assert str(form["quick"]) == (
        '<textarea name="quick" cols="80" rows="4" maxlength="100" required aria-invalid="true" '
        'aria-describedby="id_quick_helptext id_quick_error" id="id_quick">\n</textarea>'
    )
    shown = Both({"quick": "<b>bold</b> & more"})
    assert str(shown["quick"]).endswith('id="id_quick">\n&lt;b&gt;bold&lt;/b&gt; &amp; more</textarea>')
