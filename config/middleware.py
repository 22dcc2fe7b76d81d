"""Cross-cutting request checks and response headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

from core.api_errors import error_body
from core.input import NUL

MESSAGE = "The address contains a NUL character, which no Redress page or field accepts."


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string or path holding a NUL character.

    PostgreSQL refuses NUL in any text, so such a value reaching a query would be a 500. Bodies are
    checked by the forms (core.forms.NulFreeMixin) and the API's parsers (core.parsers); this
    covers search boxes, filters and paths.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(NUL in key or NUL in value for key, value in request.GET.items()):
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(MESSAGE, "invalid"), status=400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class LimitRequestBodyMiddleware:
    """Answer 413 to a body larger than Redress reads, before anything reads it.

    Files travel only in multipart/form-data, which has the larger limit; every other body (JSON,
    a plain form) has the smaller one. The declared length is checked: the server reads no more
    than it, so a body cannot grow past the check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.content_type == "multipart/form-data":
            limit, what, advice = settings.REDRESS_MAX_UPLOAD_BYTES, "A form with files", "fewer or smaller files"
        else:
            limit, what, advice = settings.REDRESS_MAX_BODY_BYTES, "A request without files", "a shorter text"
        if length <= limit:
            return self.get_response(request)
        message = (
            f"{what} may be {_megabytes(limit)} ({limit:,} bytes) at most; this one is {length:,} bytes. "
            "Nothing was saved."
        )
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(message, "too_large"), status=413)
        message += f" Go back to the form and send {advice}."
        return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The Permissions-Policy header for `features` (feature -> allowed origins; empty: none)."""
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in features.items())


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy of settings.PERMISSIONS_POLICY with every response.

    Redress uses no camera, microphone, location, payment or device API: the header turns them
    off for its pages and anything they might embed (docs/operations.md, "Security headers").
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
