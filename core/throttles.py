"""Rate limits on the writes people could abuse: sign-up, sign-in, filing, answering, and pages
that send e-mail to an address someone types (password reset, invitations, a new confirmation link).

The rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (set from `REDRESS_THROTTLE_*`) and
are read on each request, so a changed setting applies without a restart of the class. Counters
live in the default cache (Redis). Reads are never throttled here.
"""

from __future__ import annotations

from typing import Any, cast

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class WriteRateThrottle(SimpleRateThrottle):
    """Counts unsafe requests per user (or per client address when signed out)."""

    def get_rate(self) -> str | None:
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "")

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SignupThrottle(WriteRateThrottle):
    scope = "signup"


class SigninThrottle(WriteRateThrottle):
    scope = "signin"


class FilingThrottle(WriteRateThrottle):
    scope = "filing"


class AnsweringThrottle(WriteRateThrottle):
    scope = "answering"


class MailThrottle(WriteRateThrottle):
    scope = "mail"
