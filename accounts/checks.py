"""System checks: staff's second factor cannot be switched on without the middleware that enforces it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

AUTH = "django.contrib.auth.middleware.AuthenticationMiddleware"
OTP = "django_otp.middleware.OTPMiddleware"
GATE = "accounts.middleware.StaffVerificationMiddleware"


@register()
def mfa_middleware_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """OTPMiddleware after AuthenticationMiddleware, the staff gate after both."""
    middleware = list(settings.MIDDLEWARE)
    missing = [name for name in (AUTH, OTP, GATE) if name not in middleware]
    if missing:
        message = f"MIDDLEWARE lacks {', '.join(missing)}: staff could skip their second factor."
        return [Error(message, id="accounts.E001")]
    if not middleware.index(AUTH) < middleware.index(OTP) < middleware.index(GATE):
        return [Error(f"MIDDLEWARE must list {AUTH}, then {OTP}, then {GATE}.", id="accounts.E002")]
    return []
