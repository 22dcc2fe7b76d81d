"""Staff sessions that still owe a second factor reach only the pages that settle it.

After the password, a staff member or superuser who has an authenticator (or recovery codes) is
sent to /accounts/mfa/verify/ from every page, /admin/ included, until the session has given a
code. Where REDRESS_ADMIN_REQUIRE_MFA is on, one without an authenticator is sent to
/accounts/mfa/setup/. The API answers 403 instead of redirecting. Everyone else passes untouched.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .selectors import mfa_owed

API_MESSAGE = "Confirm this sign-in with your authenticator code at /accounts/mfa/verify/ first."


class StaffVerificationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        owed = mfa_owed(user=request.user, required=settings.REDRESS_ADMIN_REQUIRE_MFA)
        if not owed:
            return self.get_response(request)
        open_paths = {
            reverse("accounts:mfa-verify"),
            reverse("accounts:mfa-setup"),
            reverse("accounts:signout"),
            reverse("admin:logout"),
        }
        if request.path in open_paths:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": API_MESSAGE, "code": "mfa_required", "errors": {}}, status=403)
        target = reverse("accounts:mfa-verify" if owed == "verify" else "accounts:mfa-setup")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class TimeZoneMiddleware:
    """Pages show times in the signed-in user's own zone (docs/domain.md, "Dates and times").

    A visitor, and a user who set none, sees the site's TIME_ZONE; templates name the zone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        zone = getattr(user, "time_zone", "") if user.is_authenticated else ""
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone)) if zone else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone removed from the system's database
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
