"""Serializer fields copied for each instance without deep-copying their choices.

DRF gives every serializer instance its own copies of the class's fields, by `copy.deepcopy`,
because binding a field sets its parent. A field's deep copy builds it again from its arguments,
each deep-copied in turn: for a choice field that is every choice with its translated label, a
lazy string whose copy goes through Django's lazy-object machinery. A filing's request and answer
spent about 2.5 ms a request there (bench/README.md, "Eighth round").

`FreshFields` builds each copy from the same arguments, as DRF's copy does, but passes the
choices as they are: a field never changes the choices it was given (it keeps its own
dictionaries made from them). Every other argument is still deep-copied, so a mutable default
is never shared between requests, and a field given as an argument (a list's `child`) is copied
the same way.

A field built only from immutable arguments (text, numbers, flags, callables, its choices and
validators), which holds no other field and is not a serializer, is copied without being built
again: a new instance with the same attributes, unbound. Binding sets only the copy's own
attributes (its name, parent, label, source), and nothing a field holds after it is built
changes afterwards: its choices' dictionaries, its validators (DRF shares those between copies
too) and its messages. A filing's serializers hold about ninety fields; building each again
cost about 2 ms a filing (bench/README.md, "Eleventh round").
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import Promise
from rest_framework import serializers

# Arguments DRF itself passes through uncopied (rest_framework.fields.Field.__deepcopy__), and the choices.
UNCOPIED = frozenset({"validators", "regex", "choices"})


def fresh(field: serializers.Field[Any, Any, Any, Any]) -> serializers.Field[Any, Any, Any, Any]:
    """A new, unbound field built from `field`'s arguments, as `copy.deepcopy(field)` would, but the choices shared."""
    args = getattr(field, "_args", None)
    kwargs = getattr(field, "_kwargs", None)
    if args is None or kwargs is None:
        return copy.deepcopy(field)
    copied: dict[str, Any] = {key: _copied(key, value) for key, value in kwargs.items()}
    maker: Any = field.__class__
    return maker(*[copy.deepcopy(arg) for arg in args], **copied)


# Values a field may share with its copies: nothing in them can change.
IMMUTABLE = (str, bytes, int, float, bool, type(None), Promise)


def _immutable(value: Any) -> bool:
    if isinstance(value, tuple | frozenset):
        return all(_immutable(item) for item in value)
    return isinstance(value, IMMUTABLE) or callable(value)


def shareable(field: serializers.Field[Any, Any, Any, Any]) -> bool:
    """Whether `field` may be copied attribute by attribute (see the module's text)."""
    args, kwargs = getattr(field, "_args", None), getattr(field, "_kwargs", None)
    if isinstance(field, serializers.BaseSerializer) or args is None or kwargs is None:
        return False
    copied = [*args, *(value for key, value in kwargs.items() if key not in UNCOPIED)]
    if not all(_immutable(value) for value in copied):
        return False
    return not any(isinstance(value, serializers.Field) for value in vars(field).values())


def shallow(field: serializers.Field[Any, Any, Any, Any]) -> serializers.Field[Any, Any, Any, Any]:
    """A new, unbound instance of a shareable field with the same attributes."""
    copied = object.__new__(type(field))
    copied.__dict__.update(field.__dict__)
    return copied


def _copied(key: str, value: Any) -> Any:
    if key in UNCOPIED:
        return value
    return fresh(value) if isinstance(value, serializers.Field) else copy.deepcopy(value)


class FreshFields:
    """A serializer mixin: its fields are built once per class and each instance gets fresh copies.

    What DRF builds for a class (from the declared fields and, for a model serializer, from the
    model's `Meta`) is the same for every instance, so it is built once.
    """

    _built_fields: dict[type, list[tuple[str, serializers.Field[Any, Any, Any, Any], bool]]] = {}

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        built = FreshFields._built_fields.get(type(self))
        if built is None:
            fields = super().get_fields()  # type: ignore[misc]
            built = FreshFields._built_fields[type(self)] = [
                (name, field, shareable(field)) for name, field in fields.items()
            ]
        return {name: shallow(field) if shared else fresh(field) for name, field, shared in built}
