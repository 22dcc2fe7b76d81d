"""The API's body parsers (DEFAULT_PARSER_CLASSES): Django REST framework's, refusing what
core/input.py refuses before any serializer or view reads the body.

A refusal is a 400 in the API's error body, naming the fields at fault:
`{"detail": "Invalid input.", "code": "invalid", "errors": {"name": ["Remove the NUL ..."]}}`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from rest_framework import exceptions, parsers

from .input import DEPTH_MESSAGE, MAX_JSON_DEPTH, NUL_MESSAGE, fields_with_nul, json_depth


def _refused(message: str, fields: list[str] | None = None) -> exceptions.ValidationError:
    """A 400 naming the fields, or, with none named, the body (`non_field_errors`, core/api_errors.py)."""
    named = [field for field in fields or [] if field]
    return exceptions.ValidationError({field: [message] for field in named} if named else [message])


class NulFreeParserMixin:
    """Refuse a body with a NUL character in any field name or value, naming those fields."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        try:
            parsed = super().parse(stream, media_type, parser_context)  # type: ignore[misc]
        except (TooManyFieldsSent, TooManyFilesSent) as exc:
            raise _refused(str(exc)) from exc
        fields = fields_with_nul(parsed.data if isinstance(parsed, parsers.DataAndFiles) else parsed)
        if fields:
            raise _refused(NUL_MESSAGE, fields)
        return parsed


class JSONParser(NulFreeParserMixin, parsers.JSONParser):
    """JSON nested at most MAX_JSON_DEPTH levels, checked on the bytes before they are decoded."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        raw = stream.read() if stream is not None else b""
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise _refused(DEPTH_MESSAGE)
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class FormParser(NulFreeParserMixin, parsers.FormParser):
    pass


class MultiPartParser(NulFreeParserMixin, parsers.MultiPartParser):
    pass
