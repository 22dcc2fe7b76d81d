"""The one family of domain errors. The API maps them to status codes; pages show their message."""

from __future__ import annotations

from datetime import datetime


class RedressError(Exception):
    status_code = 400

    def __init__(self, message: str = "", *, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class InvalidInput(RedressError):
    """Input that breaks a rule; `field_errors` names the fields."""

    status_code = 400


class NotFound(RedressError):
    """Missing, or not the user's to see: the two look the same from outside."""

    status_code = 404


class NotAllowed(RedressError):
    """The user may see the complaint but may not do this to it."""

    status_code = 403


class InvalidTransition(RedressError):
    """The workflow refuses this move in the complaint's present state."""

    status_code = 409


class ChangedMeanwhile(InvalidTransition):
    """The complaint moved between the caller's read and the lock; read it again and retry."""


class CodeRefused(InvalidInput):
    """A second-factor code was wrong, or came while wrong codes make the account wait.

    `reason` is `wrong_code` or `throttled`; `retry_at` is when the next code is checked (None: now).
    """

    def __init__(self, message: str, *, reason: str, retry_at: datetime | None = None) -> None:
        super().__init__(message, field_errors={"code": [message]})
        self.reason = reason
        self.retry_at = retry_at
