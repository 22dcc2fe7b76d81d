"""How the API reads `Authorization: Token <token>`: knox's hashed, expiring tokens (docs/api.md).

knox keeps a SHA-512 digest of each token and its first 15 characters (the token's id) to find
it. Its check is used as it is, with two refusals added in front: a token that is not UTF-8 or
holds a NUL character is a 401 like any wrong token, not an error from the decoder or from
PostgreSQL. An expired token is refused and deleted as knox does, without knox's read of all the
user's other tokens on every request.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> Any:
        try:
            text = token.decode("utf-8")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        if "\x00" in text:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token: Any) -> bool:
        """Refuse, and delete, this token once it has expired.

        knox also reads every other token of the user on each request, to delete the expired
        ones; Redress deletes those when the user signs in again
        (accounts.services.api_token_create), so a request reads one row for its token.
        """
        if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema names the scheme `tokenAuth`, as it did before tokens were knox's."""

    target_class = "core.api_auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
