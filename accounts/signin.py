"""Sign-in protection (docs/operations.md, "Security"): the lockout's answers and the sign-in security log.

django-axes counts failed sign-ins per account and per client address (settings `AXES_*`) on
every path that calls `authenticate(request=...)`: the sign-in page, the admin's sign-in and the
API's token endpoint. This module tells it which account a sign-in names, answers an attempt it
refuses (a page saying when to retry, or the API's error body; both 429 with `Retry-After`), and
writes the security events of failed, refused (inactive account) and locked-out sign-ins.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from core.api_errors import error_body
from core.security import security_event

from .models import User

LOCKED_OUT_CODE = "locked_out"
EMAIL_MAX = 254


def signin_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in names, as stored: `Dana@Example.com ` and `dana@example.com` are one account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None and request.method == "POST":
        raw = request.POST.get("username")
    if not isinstance(raw, str) or not raw.strip():
        return None
    # No account's address is longer than the column (254); the lockout's own record of the name
    # holds 255 characters, and a longer name typed at a sign-in form must not fail the page.
    return raw.strip().lower()[:EMAIL_MAX]


def lockout_until(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime:
    """When the lockout that refuses this sign-in ends: the cool-off after the last counted failure."""
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    last = None
    # One set of attempts per lockout parameter (the account; the address): the ones at the limit lock.
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        rows = list(attempts.values_list("failures_since_start", "attempt_time"))
        if rows and sum(failures for failures, _ in rows) >= limit:
            latest = max(at for _, at in rows)
            last = latest if last is None else max(last, latest)
    return (last or timezone.now()) + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """Answer a sign-in refused by the lockout: when to retry, on a page or in the API's error body."""
    until = lockout_until(request, credentials)
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    minutes = max(1, math.ceil(seconds / 60))
    email = signin_username(request, credentials) or ""
    security_event("signin_locked_out", request=request, email=email, until=until.isoformat())
    wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    message = (
        f"Too many failed sign-ins for this account or from this address. Try again in {wait}, after {until:%H:%M} UTC."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error_body(message, LOCKED_OUT_CODE), status=429)
    else:
        context = {"message": message, "until": until, "wait": wait, "email": email}
        response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def signin_failure_log(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_: Any) -> None:
    """Log a failed sign-in, or a refused one when the account is inactive (receiver of `user_login_failed`).

    A sign-in the lockout refused before checking the password is logged once, as
    `signin_locked_out`, by `lockout_response`: axes marks it locked and counts nothing (the
    failure count stays unset). The failure that reaches the limit is counted, so it is logged here
    too, whichever receiver runs first.
    """
    if request is None:
        return
    if getattr(request, "axes_locked_out", False) and getattr(request, "axes_failures_since_start", None) is None:
        return
    email = signin_username(request, credentials) or ""
    inactive = bool(email) and User.objects.filter(email__iexact=email, is_active=False).exists()
    if inactive:
        security_event("signin_refused", request=request, email=email, reason="inactive account")
    else:
        security_event("signin_failed", request=request, email=email)
