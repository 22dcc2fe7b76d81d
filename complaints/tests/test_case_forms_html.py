"""The case page's action forms are written by core.forms.fields_html: the same bytes as includes/fields.html."""

import pytest
from django.template.loader import render_to_string

from complaints.forms.case import ConsentChangeForm, MessageForm, ResponseForm, StaffNoteForm
from disputes.forms import STAFF_ACTION_LABELS, StaffActionForm


def case_forms(data):
    yield MessageForm(data, label="Your response", help_text="Say what you did.")
    yield MessageForm(data, label="Comment", required=False, files_field=True)
    yield ResponseForm(data, label="Your response")
    yield ConsentChangeForm(data)
    yield StaffNoteForm(data, auto_id="staff_note_%s")
    for action in STAFF_ACTION_LABELS:
        yield StaffActionForm(data, action=action, auto_id=f"staff_{action}_%s")


@pytest.mark.parametrize("data", [None, {}, {"text": "x" * 10_001, "publish_consent": "maybe", "outcome": "nope"}])
def test_every_case_form_is_written_as_its_template_writes_it(data):
    for form in case_forms(data):
        if data is not None:
            form.is_valid()
        assert form.fields_html == render_to_string("includes/fields.html", {"form": form}), type(form).__name__
