"""Idle sessions end (docs/operations.md, "Security"): `REDRESS_SESSION_IDLE_MINUTES` without a
request, `REDRESS_STAFF_SESSION_IDLE_MINUTES` for staff, and the user signs in again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone

from core.security import security_event

LAST_ACTIVITY_KEY = "redress_last_activity"
# The stored time moves on at most once a minute: not every request writes the session.
ACTIVITY_RESOLUTION_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Sign out a session that made no request for `REDRESS_SESSION_IDLE_MINUTES` (staff: `..._STAFF_...`).

    The time of the last request is kept in the session. A page request after the limit is sent
    to the sign-in page with a message saying why; an API request continues signed out (401).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        now = int(timezone.now().timestamp())
        last = request.session.get(LAST_ACTIVITY_KEY)
        minutes = (
            settings.REDRESS_STAFF_SESSION_IDLE_MINUTES if user.is_staff else settings.REDRESS_SESSION_IDLE_MINUTES
        )
        if isinstance(last, int) and now - last > minutes * 60:
            security_event("session_idle_signout", request=request, user=user, idle_minutes=minutes)
            logout(request)
            if not request.path.startswith("/api/"):
                messages.info(
                    request, f"You were signed out after {minutes} minutes without activity. Please sign in again."
                )
                next_path = request.get_full_path() if request.method == "GET" else ""
                query = f"?{urlencode({'next': next_path})}" if next_path else ""
                return HttpResponseRedirect(f"{settings.LOGIN_URL}{query}")
            return self.get_response(request)
        if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
            request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def session_activity_start(sender: Any, request: HttpRequest | None = None, **_: Any) -> None:
    """Start the idle clock at sign-in (receiver of `user_logged_in`), so the next request writes nothing."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())
