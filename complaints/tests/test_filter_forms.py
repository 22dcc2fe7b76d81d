"""The Data page's and the search page's filter forms share their date check and their API parameters."""

from __future__ import annotations

import pytest

from complaints.forms.open_data import OpenDataFilterForm
from complaints.forms.search import SearchForm


@pytest.mark.parametrize(
    ("form_class", "extra"),
    [(OpenDataFilterForm, {}), (SearchForm, {"q": "refund"})],
)
def test_a_last_filing_day_not_after_the_first_is_refused(form_class, extra):
    form = form_class({**extra, "date_received_min": "2026-03-10", "date_received_max": "2026-03-10"})

    assert not form.is_valid()
    assert form.errors == {"date_received_max": ["Give a day after the first one."]}


def test_open_data_parameters_are_the_filters_given_in_api_form():
    form = OpenDataFilterForm(
        {"product": "billing_collection", "date_received_min": "2026-03-01", "country": "GB", "state": ""}
    )

    assert form.is_valid(), form.errors
    assert form.parameters() == {"product": "billing_collection", "date_received_min": "2026-03-01", "country": "GB"}


def test_search_parameters_are_the_search_in_api_form():
    form = SearchForm({"q": "refund", "status": "resolved", "date_received_max": "2026-04-01", "business": ""})

    assert form.is_valid(), form.errors
    assert form.parameters() == {"q": "refund", "status": "resolved", "date_received_max": "2026-04-01"}
