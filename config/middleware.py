"""Cross-cutting request checks and response headers."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve

from complaints.views.public import profile_revalidated_without_cookies
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


# What a view or decorator may set on a response to change or drop the policy for it (django-csp's
# csp_update, csp_replace, csp_exempt and their report-only forms).
_RESPONSE_POLICY_PARTS = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)
_DEBUG_EXEMPT_CODES = (404, 500)


@cache
def _settings_policies() -> tuple[str, str] | None:
    """The enforced and report-only headers the settings give, or None when some addresses go without."""
    if any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
    ):
        return None
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _policy_settings_changed(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _settings_policies.cache_clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the settings' policy built once per process, not twice per response.

    django-csp builds both headers from the settings on every response, about a tenth of a
    millisecond: on a 304 for a public page that is a twentieth of the answer. A response that no
    view changed the policy for, and a request that asked for no nonce, get the same two strings
    every time, so they are built once (and again when a test overrides the settings). Anything
    else (the API documentation's widened policy, a nonce, an exemption, debug error pages) goes
    through django-csp's own path.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policies = _settings_policies()
        if (
            policies is None
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, part) for part in _RESPONSE_POLICY_PARTS)
            or (settings.DEBUG and response.status_code in _DEBUG_EXEMPT_CODES)
        ):
            return super().process_response(request, response)
        enforced, report_only = policies
        if enforced:
            response.headers.setdefault(HEADER, enforced)
        if report_only:
            response.headers.setdefault(HEADER_REPORT_ONLY, report_only)
        # As django-csp does: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class PublicRevalidationMiddleware:
    """Answer a cookie-less `If-None-Match` for a public profile before the session and user layers.

    A browser or CDN checking its copy of a profile is the commonest request a public page gets,
    and its answer, a `304`, needs the business's row and locations alone; the nine layers after
    this one (session, CSRF, user, time zone, MFA, messages, idle timeout, lockout) and the URL
    resolver took a third of it. A request carrying a session or message cookie, or whose copy is stale,
    goes on to the view as before. Placed after WhiteNoise and below the header middlewares, so
    the `304` carries every security header a page does.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and "HTTP_IF_NONE_MATCH" in request.META:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and match.view_name == "complaints:business-profile":
                answer = profile_revalidated_without_cookies(request, match.kwargs["slug"])
                if answer is not None:
                    return answer
        return self.get_response(request)
