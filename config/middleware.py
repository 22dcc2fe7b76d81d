"""Cross-cutting request checks."""

from __future__ import annotations

from collections.abc import Callable

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
