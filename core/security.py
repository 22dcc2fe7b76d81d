"""The client's address and the security log (docs/operations.md, "Security").

`client_ip` is the one place that reads a request's client address: `X-Forwarded-For` is
believed only through `REDRESS_TRUSTED_PROXIES` proxies (0 by default: the socket's peer is the
client). Rate limits, sign-in lockouts and the security log all key on it, so a client that
invents a new `X-Forwarded-For` on every request is still one client.

`security_event` writes one JSON line to the `redress.security` logger for every failed, refused
or locked sign-in, MFA failure, token revocation and staff act, with the user and the address
(taken from the request being served when the caller has none: `RequestAddressMiddleware`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("redress.security")

# The client address and path of the request being served, for events written below the views
# (a staff act is logged by the service that writes it, which has no request).
_serving: ContextVar[tuple[str, str] | None] = ContextVar("redress_serving", default=None)


class RequestAddressMiddleware:
    """Remember the client's address and path while a request is served (`security_event` reads it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _serving.set((client_ip(request), request.path))
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)


def client_ip(request: HttpRequest) -> str:
    """Return the client's address, trusting `X-Forwarded-For` through the configured proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies: int = getattr(settings, "REDRESS_TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appends the address it received from; the client is the one the
    # outermost trusted proxy saw, `proxies` entries from the right. Anything further left was
    # written by the client and proves nothing.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return forwarded[0] if forwarded else remote


def security_event(
    kind: str, *, request: HttpRequest | None = None, user: Any = None, email: str = "", **fields: Any
) -> None:
    """Log one security event as a JSON line: its kind, the user (or the e-mail tried) and the address."""
    record: dict[str, Any] = {"event": kind}
    if user is not None and getattr(user, "pk", None) is not None:
        record["user_id"] = user.pk
        record["user"] = getattr(user, "email", "")
    elif email:
        record["user"] = email
    if request is not None:
        record["ip"] = client_ip(request)
        record["path"] = request.path
    elif (serving := _serving.get()) is not None:
        record["ip"], record["path"] = serving
    record.update(fields)
    logger.warning(json.dumps(record, default=str, sort_keys=True))


class JsonLineFormatter(logging.Formatter):
    """Write a security event as one JSON object with its time and level (settings LOGGING, "json")."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        try:
            fields = json.loads(message)
        except ValueError:
            fields = None
        if not isinstance(fields, dict):
            fields = {"message": message}
        at = datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        return json.dumps({"time": at, "level": record.levelname, **fields}, default=str, sort_keys=True)
