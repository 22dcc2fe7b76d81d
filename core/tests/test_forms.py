"""LoadedChoiceField: ModelChoiceField's behaviour over rows a page has already loaded, without a query."""

import re

import pytest
from django import forms

from accounts.models import Business
from accounts.tests.factories import BusinessFactory
from core.forms import LoadedChoiceField

pytestmark = pytest.mark.django_db


class Loaded(forms.Form):
    business = LoadedChoiceField(required=False, empty_label="All businesses")


class Model(forms.Form):
    business = forms.ModelChoiceField(queryset=Business.objects.none(), required=False, empty_label="All businesses")


def tight(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def forms_for(businesses, data=None):
    loaded = Loaded(data)
    loaded.fields["business"].instances = businesses
    model = Model(data)
    model.fields["business"].queryset = Business.objects.filter(pk__in=[b.pk for b in businesses]).order_by("name")
    return loaded, model


def test_it_renders_and_cleans_like_a_model_choice_and_reads_nothing(django_assert_num_queries):
    businesses = [BusinessFactory(name="Alpha Shop"), BusinessFactory(name="Beta Shop")]
    for data in (None, {"business": str(businesses[1].pk)}, {"business": ""}):
        loaded, model = forms_for(businesses, data)
        expected_html, expected_valid = str(model["business"]), model.is_valid()
        with django_assert_num_queries(0):
            # The same select, written by QuickSelect without the widget template's line breaks.
            assert tight(str(loaded["business"])) == tight(expected_html)
            assert loaded.is_valid() is expected_valid
        if data is not None:
            assert loaded.cleaned_data["business"] == model.cleaned_data["business"]
    chosen, _ = forms_for(businesses, {"business": str(businesses[1].pk)})
    assert chosen.is_valid() and chosen.cleaned_data["business"] is businesses[1]


@pytest.mark.parametrize("value", ["999999", "not-a-number", "1 OR 1=1"])
def test_a_value_outside_the_loaded_rows_gets_the_model_choice_message(value):
    loaded, model = forms_for([BusinessFactory(name="Alpha Shop")], {"business": value})
    assert not loaded.is_valid() and not model.is_valid()
    assert loaded.errors["business"] == model.errors["business"]
    assert loaded.errors["business"] == ["Select a valid choice. That choice is not one of the available choices."]


def test_without_an_empty_label_a_choice_is_required():
    business = BusinessFactory(name="Alpha Shop")
    field = LoadedChoiceField(instances=[business], empty_label=None)
    assert list(field.choices) == [(str(business.pk), "Alpha Shop")]
    with pytest.raises(forms.ValidationError) as refused:
        field.clean("")
    assert refused.value.messages == ["This field is required."]
    assert field.clean(str(business.pk)) is business
