"""Staff sessions that still owe a second factor reach only the pages that settle it.

After the password, a staff member or superuser who has an authenticator (or recovery codes) is
sent to /accounts/mfa/verify/ from every page, /admin/ included, until the session has given a
code. Where REDRESS_ADMIN_REQUIRE_MFA is on, one without an authenticator is sent to
/accounts/mfa/setup/. The API answers 403 instead of redirecting. Everyone else passes untouched.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
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
