"""Signed, expiring tokens for e-mail links: address verification and invitations."""

from __future__ import annotations

import hashlib
import secrets

from django.core import signing

EMAIL_VERIFICATION_SALT = "redress.accounts.verify-email"
# A verification link works for a week; a new one can be asked for at any time.
EMAIL_VERIFICATION_MAX_AGE = 7 * 24 * 60 * 60


def email_verification_token(*, user_id: int, email: str) -> str:
    """Sign the user and the address: a link for an old address stops working once it changes."""
    return signing.dumps({"u": user_id, "e": email}, salt=EMAIL_VERIFICATION_SALT, compress=True)


def email_verification_read(token: str) -> tuple[int, str] | None:
    """The (user id, address) a token vouches for, or None if it is forged or expired."""
    try:
        data = signing.loads(token, salt=EMAIL_VERIFICATION_SALT, max_age=EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "u" not in data or "e" not in data:
        return None
    return int(data["u"]), str(data["e"])


def invitation_token() -> str:
    """A random token for an invitation link: e-mailed, never stored (the row keeps its digest)."""
    return secrets.token_urlsafe(32)


def invitation_token_digest(token: str) -> str:
    """The SHA-256 an invitation row keeps of its token; 256 random bits need no salt or stretching."""
    return hashlib.sha256(token.encode()).hexdigest()
