"""One error body for every API failure, and the mapping from domain errors to status codes.

Every error answers `{"detail": str, "code": str, "errors": {field: [message, ...]}}`:

| raised                                   | status | code                   |
|------------------------------------------|--------|------------------------|
| serializer ValidationError (shape)       | 400    | `invalid`              |
| NUL in a body, JSON too deep (parsers)   | 400    | `invalid`              |
| a body that is not JSON                  | 400    | `parse_error`          |
| `InvalidInput` (a service's rule)        | 400    | `invalid`              |
| not signed in                            | 401    | `not_authenticated`    |
| `NotAllowed`: may see it, may not do it  | 403    | `not_allowed`          |
| DRF permission refused (role, e.g. staff)| 403    | `permission_denied`    |
| `NotFound`: missing or not yours         | 404    | `not_found`            |
| `InvalidTransition`: workflow refuses    | 409    | `invalid_transition`   |
| body over the size limit (middleware)    | 413    | `too_large`            |
| throttled (with `Retry-After`)           | 429    | `throttled`            |

`errors` names the fields at fault for a 400 (`non_field_errors` when no field is to blame) and
is empty otherwise. Serializer errors and a service's `InvalidInput.field_errors` share it, so a
client reads a refused form the same way whichever layer refused it.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, RedressError

DOMAIN_CODES: dict[type[RedressError], tuple[int, str]] = {
    InvalidInput: (http.HTTP_400_BAD_REQUEST, "invalid"),
    NotFound: (http.HTTP_404_NOT_FOUND, "not_found"),
    NotAllowed: (http.HTTP_403_FORBIDDEN, "not_allowed"),
    InvalidTransition: (http.HTTP_409_CONFLICT, "invalid_transition"),
}
NON_FIELD = "non_field_errors"


def _messages(detail: Any) -> list[str]:
    """Flatten nested serializer errors (lists, dicts by index) into a list of messages."""
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _messages(value)]
    if isinstance(detail, list | tuple):
        return [message for value in detail for message in _messages(value)]
    return [str(detail)]


def field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(field): _messages(value) for field, value in detail.items()}
    return {NON_FIELD: _messages(detail)}


def error_body(detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "code": code, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    for error_class, (status_code, code) in DOMAIN_CODES.items():
        if isinstance(exc, error_class):
            assert isinstance(exc, RedressError)
            errors = exc.field_errors if isinstance(exc, InvalidInput) else {}
            if isinstance(exc, InvalidInput) and not errors:
                errors = {NON_FIELD: [exc.message or "Invalid input."]}
            return Response(error_body(exc.message or "Refused.", code, errors), status=status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("Invalid input.", "invalid", field_errors(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = detail.code if isinstance(detail, exceptions.ErrorDetail) and detail.code else exc.default_code
        response.data = error_body(" ".join(_messages(detail)), str(code))
    else:  # Http404 and Django's PermissionDenied, already turned into a response by DRF
        data = response.data if isinstance(response.data, dict) else {}
        code = "not_found" if response.status_code == http.HTTP_404_NOT_FOUND else "permission_denied"
        response.data = error_body(str(data.get("detail", "")), code)
    return response
