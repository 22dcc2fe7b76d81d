"""Serializer fields built once per class, each instance given fresh copies (core.api_fields)."""

import copy

from rest_framework import serializers

from complaints.api.serializers import ComplaintDetailSerializer, ComplaintFileSerializer, ComplaintListSerializer
from core.api_fields import FreshFields, fresh, shallow, shareable


class Shape(FreshFields, serializers.Serializer):
    colour = serializers.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], help_text="A colour.")
    tags = serializers.ListField(child=serializers.ChoiceField(choices=[("a", "A"), ("b", "B")]), default=list)
    notes = serializers.ListField(child=serializers.CharField(), required=False, default=["first"])


def test_each_instance_gets_its_own_bound_copies_of_fields_built_once():
    first, second = ComplaintDetailSerializer(), ComplaintDetailSerializer()
    assert first.fields["number"] is not second.fields["number"]
    assert first.fields["number"].parent is first and second.fields["number"].parent is second
    built = {name: field for name, field, _ in FreshFields._built_fields[ComplaintDetailSerializer]}
    assert built["number"].parent is None and built["number"].field_name is None  # the kept ones are never bound
    assert list(first.fields)[:4] == ["number", "status", "status_changed_at", "due_at"]
    assert first.fields["number"].help_text == "The case number: 8 digits, the complaint's identifier in URLs."


def test_a_subclass_keeps_its_own_fields():
    listed, detailed = ComplaintListSerializer(), ComplaintDetailSerializer()
    assert "timeline" not in listed.fields
    assert "timeline" in detailed.fields
    assert len(detailed.fields) > len(listed.fields) == 15


def test_a_fresh_field_is_built_like_a_deep_copy_with_its_choices_shared():
    declared = Shape._declared_fields["colour"]
    copied, deep = fresh(declared), copy.deepcopy(declared)
    assert type(copied) is serializers.ChoiceField
    assert copied.choices == deep.choices == {"red": "Red", "blue": "Blue"}
    assert copied.help_text == "A colour."
    assert copied._kwargs["choices"] is declared._kwargs["choices"]
    assert deep._kwargs["choices"] is not declared._kwargs["choices"]


def test_a_fresh_list_field_has_its_own_child_and_never_shares_a_mutable_default():
    declared = Shape._declared_fields["notes"]
    first, second = fresh(declared), fresh(declared)
    assert first.child is not second.child is not declared.child
    assert first.child.parent is first and second.child.parent is second
    assert first.default == ["first"] and first.default is not second.default is not declared.default


def test_every_instance_validates_and_answers_on_its_own_fields():
    one = Shape(data={"colour": "red", "tags": ["a"]})
    other = Shape(data={"colour": "green"})
    assert one.is_valid() and one.validated_data == {"colour": "red", "tags": ["a"], "notes": ["first"]}
    assert not other.is_valid()
    assert other.errors == {"colour": ['"green" is not a valid choice.']}
    one.validated_data["notes"].append("second")
    assert Shape(data={"colour": "blue"}).is_valid()
    assert Shape(data={"colour": "blue"}).fields["notes"].default == ["first"]


def test_the_filing_form_refuses_a_type_from_outside_its_choices():
    serializer = ComplaintFileSerializer(data={"type": "weather"})
    assert not serializer.is_valid()
    assert serializer.errors["type"] == ['"weather" is not a valid choice.']


class Mixed(serializers.Serializer):
    name = serializers.CharField(max_length=20, help_text="A name.")
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, required=False)
    flags = serializers.JSONField(default={"mutable": True})
    shape = Shape(required=False)
    listed = serializers.ListField(child=serializers.CharField(), required=False)
    related = serializers.ManyRelatedField(child_relation=serializers.PrimaryKeyRelatedField(read_only=True))


def test_only_fields_of_immutable_arguments_holding_no_field_are_shared():
    declared = Mixed._declared_fields
    shared = {name for name, field in declared.items() if shareable(field)}
    assert shared == {"name", "amount"}
    assert shareable(Shape._declared_fields["colour"])  # its choices are a list, never changed
    assert not shareable(Shape._declared_fields["tags"])


def test_a_shared_field_is_a_new_unbound_copy_with_the_same_attributes():
    declared = Mixed._declared_fields["name"]
    first, second = shallow(declared), shallow(declared)
    assert type(first) is serializers.CharField and first is not second is not declared
    first.bind("name", Mixed())
    assert first.field_name == "name" and first.source_attrs == ["name"] and first.label == "Name"
    assert second.field_name is None and second.source is None and second.label is None
    assert declared.field_name is None and declared.parent is None
    assert first.max_length == second.max_length == 20 and first.help_text == "A name."
    assert first.run_validation("Dana") == "Dana"


def test_shared_fields_validate_each_instance_on_its_own():
    class Named(FreshFields, serializers.Serializer):
        name = serializers.CharField(max_length=5)

    long, short = Named(data={"name": "far too long"}), Named(data={"name": "Dana"})
    assert not long.is_valid() and short.is_valid()
    assert long.errors == {"name": ["Ensure this field has no more than 5 characters."]}
    assert short.validated_data == {"name": "Dana"}
    assert long.fields["name"] is not short.fields["name"]
    assert long.fields["name"].parent is long and short.fields["name"].parent is short
