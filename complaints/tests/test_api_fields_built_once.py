"""The complaint serializers build their model fields once per class and give each instance copies."""

from complaints.api.serializers import _BUILT_FIELDS, ComplaintDetailSerializer, ComplaintListSerializer


def test_each_instance_gets_its_own_bound_copies_of_fields_built_once():
    first, second = ComplaintDetailSerializer(), ComplaintDetailSerializer()
    assert first.fields["number"] is not second.fields["number"]
    assert first.fields["number"].parent is first and second.fields["number"].parent is second
    built = _BUILT_FIELDS[ComplaintDetailSerializer]
    assert built["number"].parent is None and built["number"].field_name is None  # the kept ones are never bound
    assert list(first.fields)[:4] == ["number", "status", "status_changed_at", "due_at"]
    assert first.fields["number"].help_text == "The case number: 8 digits, the complaint's identifier in URLs."


def test_a_subclass_keeps_its_own_fields():
    listed, detailed = ComplaintListSerializer(), ComplaintDetailSerializer()
    assert "timeline" not in listed.fields
    assert "timeline" in detailed.fields
    assert len(detailed.fields) > len(listed.fields) == 15
