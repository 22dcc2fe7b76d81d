"""Rate limits on the writes people could abuse: sign-up, sign-in, filing, answering, and pages
that send e-mail to an address someone types (password reset, invitations, a new confirmation link).

The rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (set from `REDRESS_THROTTLE_*`) and
are read on each request, so a changed setting applies without a restart of the class. Counters
live in the default cache (Redis). Reads are never throttled here, except the open data's
(`OpenDataThrottle`), which anyone may read in bulk.

A signed-out client is counted by `core.security.client_ip`, which believes `X-Forwarded-For` only
through `REDRESS_TRUSTED_PROXIES` proxies: a client that invents a new header on every request is
still one client. The pages call the same classes with the same keys, so a user's filings through
the pages and through the API count together (`docs/api.md`, "Rate limits").
"""

from __future__ import annotations

import math
from typing import Any, cast

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.security import client_ip


class WriteRateThrottle(SimpleRateThrottle):
    """Counts unsafe requests per user (or per client address when signed out)."""

    def get_rate(self) -> str | None:
        rates = cast(dict[str, str | None], api_settings.DEFAULT_THROTTLE_RATES)
        return rates.get(self.scope or "")

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_ident(self, request: Request) -> str:
        """The client's address as `core.security.client_ip` reads it (never DRF's own reading)."""
        return client_ip(request)  # type: ignore[arg-type]  # a DRF request reads META like the HttpRequest it wraps

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


class OpenDataThrottle(WriteRateThrottle):
    """Reads of the open data, JSON pages and trends, per client address (or user) (docs/open-data.md)."""

    scope = "opendata"

    def allow_request(self, request: Request, view: Any) -> bool:
        return SimpleRateThrottle.allow_request(self, request, view)


class OpenDataExportThrottle(OpenDataThrottle):
    """Whole-table CSV exports, counted apart: each reads every matching row."""

    scope = "opendata_export"


class SearchThrottle(OpenDataThrottle):
    """Searches across businesses, pages and API alike, per client address (docs/api.md, "Search")."""

    scope = "search"


def page_throttle_refusal(request: HttpRequest, throttle_class: type[WriteRateThrottle]) -> str:
    """Count one page write under the API's limit of the same scope: "" if allowed, else the refusal.

    The page and the API share the counter (the same cache key for a user, or an address), so
    filings through both count together. The refusal says when to retry; the page shows it as a
    form error and keeps what was typed.
    """
    throttle = throttle_class()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]  # reads only method, user and META
        return ""
    minutes = max(1, math.ceil((throttle.wait() or 60) / 60))
    return f"Too many attempts from here. Please try again in {minutes} minute{'s' if minutes > 1 else ''}."
