"""What Redress accepts as input from any door: no NUL character, JSON of bounded depth.

PostgreSQL refuses NUL in any text, so a NUL reaching a query is a 500; Python's JSON decoder
recurses once per level and gives up with a RecursionError near a thousand. Both are refused
before any field or service sees them (docs/api.md, "Limits of input").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from django.utils.datastructures import MultiValueDict

NUL = "\x00"
NUL_MESSAGE = "Remove the NUL character (\\0): Redress does not accept it in any field."
MAX_JSON_DEPTH = 32
DEPTH_MESSAGE = f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels."

# A JSON string, or the unterminated rest of the body: matched in one pass without backtracking,
# so no body makes the scan slower than linear.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP = [0] * 256
for _opening in b"[{":
    _STEP[_opening] = 1
for _closing in b"]}":
    _STEP[_closing] = -1


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, counted without parsing it.

    Brackets inside strings do not count. For a text that is not JSON the answer is at least the
    depth the decoder would reach before it fails, so a check against it is always safe.
    """
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a decoded value (keys included), walked without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, inner in item.items():
                pending.extend((key, inner))
        elif isinstance(item, list | tuple):
            pending.extend(item)


def contains_nul(value: Any) -> bool:
    return any(NUL in text for text in _strings(value))


def fields_with_nul(data: Any) -> list[str]:
    """The names of the fields of a request body that hold a NUL anywhere ("" for the body itself)."""
    if isinstance(data, MultiValueDict):
        return [str(key).replace(NUL, "") for key, values in data.lists() if contains_nul([key, values])]
    if isinstance(data, dict):
        return [str(key).replace(NUL, "") for key, inner in data.items() if contains_nul([key, inner])]
    return [""] if contains_nul(data) else []


def without_nul(data: Any) -> Any:
    """A copy of form data (a QueryDict or a dict of strings and lists of strings) with NUL removed."""
    if isinstance(data, MultiValueDict):
        copy = data.copy()
        for key in list(copy):
            values = copy.getlist(key)
            del copy[key]
            copy.setlist(key.replace(NUL, ""), [_stripped(value) for value in values])
        return copy
    return {str(key).replace(NUL, ""): _stripped(value) for key, value in dict(data).items()}


def _stripped(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(NUL, "")
    if isinstance(value, list | tuple):
        return [_stripped(item) for item in value]
    return value
