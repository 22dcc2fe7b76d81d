"""Reply addresses `reply+TOKEN@REDRESS_REPLY_DOMAIN`: one per recipient and case (docs/domain.md).

The token names a user and a complaint and carries an HMAC of both under the site's secret
key, so it cannot be made up or altered. It uses lower-case letters, digits and hyphens only:
mail systems may change the case of an address, and some read a `.` or `+` specially. When a
token stops working is decided from its case when a reply arrives (`reply_address_expired`: 30
days after the case closed), so a reopened case takes replies again.

The key is `SECRET_KEY`; tokens signed with a key in `SECRET_KEY_FALLBACKS` still read, so
rotating the key does not break the addresses in mail already sent.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "redress.reply-address"
PREFIX = "reply+"
# 15 bytes of HMAC-SHA256: 120 bits, 24 base32 characters. The whole local part stays well under
# the 64 characters an address's local part may have (RFC 5321).
SIGNATURE_BYTES = 15


@dataclass(frozen=True)
class ReplyToken:
    user_id: int
    complaint_id: int


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def _signature(payload: str, secret: str) -> str:
    digest = salted_hmac(SALT, payload, secret=secret, algorithm="sha256").digest()[:SIGNATURE_BYTES]
    return base64.b32encode(digest).decode().lower()


def reply_token(user_id: int, complaint_id: int) -> str:
    """The signed token naming this user and complaint."""
    if user_id <= 0 or complaint_id <= 0:
        raise ValueError("ids are positive")
    payload = f"{_base36(user_id)}-{_base36(complaint_id)}"
    return f"{payload}-{_signature(payload, settings.SECRET_KEY)}"


def token_read(token: str) -> ReplyToken | None:
    """The user and complaint a token names, or None if it is malformed or its signature is wrong."""
    parts = token.strip().lower().split("-")
    if len(parts) != 3 or not all(parts):
        return None
    user, complaint, signature = parts
    try:
        user_id, complaint_id = int(user, 36), int(complaint, 36)
    except ValueError:
        return None
    payload = f"{user}-{complaint}"
    # The canonical spelling only: a token is never accepted in two forms ("0a" and "a").
    if payload != f"{_base36(user_id)}-{_base36(complaint_id)}" or user_id <= 0 or complaint_id <= 0:
        return None
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if constant_time_compare(signature, _signature(payload, secret)):
            return ReplyToken(user_id, complaint_id)
    return None


def reply_address_expired(closed_at: datetime | None, now: datetime) -> bool:
    """Whether the reply addresses of a case closed at `closed_at` have stopped working at `now`.

    They work while the case is open, and until exactly REDRESS_REPLY_DAYS_AFTER_CLOSING days (30)
    after it closed; from the next instant on they are refused.
    """
    if closed_at is None:
        return False
    return now > closed_at + timedelta(days=settings.REDRESS_REPLY_DAYS_AFTER_CLOSING)


def reply_address(user_id: int, complaint_id: int) -> str | None:
    """The reply address of this user on this complaint; None while no reply domain is configured."""
    domain = settings.REDRESS_REPLY_DOMAIN
    if not domain:
        return None
    return f"{PREFIX}{reply_token(user_id, complaint_id)}@{domain}"


def address_token(address: str) -> str | None:
    """The token of a reply address on the configured domain (`reply+TOKEN@domain`), else None."""
    local, at, domain = address.strip().strip("<>").rpartition("@")
    if not at or domain.lower() != settings.REDRESS_REPLY_DOMAIN.lower() or not settings.REDRESS_REPLY_DOMAIN:
        return None
    if not local.lower().startswith(PREFIX):
        return None
    return local[len(PREFIX) :] or None


def case_thread_id(number: str) -> str:
    """The Message-ID every e-mail of a case refers to (`References`), so mail clients thread them."""
    return f"<redress-case-{number}@{settings.REDRESS_MESSAGE_ID_DOMAIN}>"
