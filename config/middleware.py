"""Cross-cutting request checks and response headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"
MESSAGE = "The address contains a NUL character, which no Redress page or field accepts."


class RejectNulCharactersMiddleware:
    """Answer 400 to a query string or path holding a NUL character.

    PostgreSQL refuses NUL in any text, so such a value reaching a query would be a 500. Form and
    serializer fields already refuse it in bodies; this covers search boxes, filters and paths.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or any(NUL in key or NUL in value for key, value in request.GET.items()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "code": "invalid", "errors": {}}, status=400)
            return HttpResponseBadRequest(MESSAGE)
        return self.get_response(request)


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
