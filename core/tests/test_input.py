"""core/input.py: the depth of JSON counted on its bytes, and NUL found and removed, without a database."""

import json
import time

from django.http import QueryDict

from core.input import fields_with_nul, json_depth, without_nul


def test_the_depth_counts_arrays_and_objects_as_the_decoder_nests_them():
    assert json_depth(b"") == 0
    assert json_depth(b'"text"') == 0
    assert json_depth(b"[]") == 1
    assert json_depth(b'{"a": [1, {"b": []}]}') == 4
    assert json_depth(b"[[], [[]], []]") == 3
    assert json_depth(b"[" * 32 + b"]" * 32) == 32
    assert json_depth(b"[" * 33 + b"]" * 33) == 33


def test_brackets_inside_strings_do_not_count():
    assert json_depth(b'{"text": "[[[[{{{{"}') == 1
    assert json_depth(b'["a \\" [[[[ still in the string"]') == 1
    assert json_depth(b'["ends with a backslash \\\\", [[]]]') == 3


def test_an_unterminated_string_hides_nothing_the_decoder_would_reach():
    # The decoder stops at the open string: the brackets after it are never nested into.
    assert json_depth(b'[["open string [[[[[[') == 2
    assert json_depth(b"[" * 50_000) == 50_000


def test_the_count_agrees_with_the_decoded_value():
    # {"ids": [...]} > [[1, ...], ...] > [1, [2, [3]]] > [2, [3]] > [3]: five levels.
    value = {"ids": [[1, [2, [3]]], {"x": [[]]}], "s": "]]]}"}
    assert json_depth(json.dumps(value).encode()) == 5


def test_the_scan_stays_linear_on_bodies_built_to_slow_it():
    hostile = [b'"\\' * 500_000, b'["' * 300_000, b'\\"' * 500_000, b"[" * 1_000_000]
    started = time.monotonic()
    for body in hostile:
        json_depth(body)
    assert time.monotonic() - started < 2.0


def test_fields_with_nul_names_each_field_holding_one_anywhere():
    assert fields_with_nul({"name": "Dana\x00", "email": "dana@example.com"}) == ["name"]
    assert fields_with_nul({"ids": [1, {"deep": ["x\x00"]}], "ok": [1]}) == ["ids"]
    assert fields_with_nul({"ke\x00y": "value"}) == ["key"]
    assert fields_with_nul(["a", "\x00"]) == [""]
    assert fields_with_nul(QueryDict("a=1&b=%00&b=2")) == ["b"]
    assert fields_with_nul({"name": "Dana"}) == []


def test_without_nul_keeps_every_value_and_removes_only_the_nul():
    data = without_nul(QueryDict("query=Gig%00work&tags=a%00&tags=b&plain=x"))
    assert data.getlist("query") == ["Gigwork"]
    assert data.getlist("tags") == ["a", "b"]
    assert data.getlist("plain") == ["x"]
    assert without_nul({"business": "shop\x00", "not_listed": True}) == {"business": "shop", "not_listed": True}
