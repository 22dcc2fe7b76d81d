"""Reads about users and businesses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from .models import Business, Invitation, Membership, User
from .tokens import invitation_token_digest


def business_search(*, query: str = "", category: str = "", city: str = "") -> QuerySet[Business]:
    """Listed businesses matching a name (or website) fragment, a category and a city."""
    qs = Business.objects.filter(is_listed=True)
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(website__icontains=query))
    if category.strip():
        qs = qs.filter(category__iexact=category.strip())
    if city.strip():
        qs = qs.filter(Q(city__iexact=city.strip()) | Q(locations__city__iexact=city.strip())).distinct()
    return qs.order_by("name")


def listed_categories() -> list[str]:
    """The categories of listed businesses, for the directory's category filter."""
    return list(
        Business.objects.filter(is_listed=True)
        .exclude(category="")
        .order_by("category")
        .values_list("category", flat=True)
        .distinct()
    )


def businesses_of(*, user: User) -> QuerySet[Business]:
    """The businesses this user represents."""
    return Business.objects.filter(pk__in=Membership.objects.filter(user=user).values("business_id")).order_by("name")


def mfa_applies_to(user: Any) -> bool:
    """Staff and superusers sign in with a second factor (docs/operations.md)."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


def mfa_owed(*, user: Any, required: bool) -> str:
    """What this signed-in session still owes before it reaches any other page.

    `verify`: the user has an authenticator (or recovery codes) and this session has not given a
    code yet. `setup`: second factors are required (REDRESS_ADMIN_REQUIRE_MFA) and the user has
    none. Empty: nothing is owed. Only staff and superusers owe anything.
    """
    if not mfa_applies_to(user):
        return ""
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return ""
    if user_has_device(user, confirmed=True):
        return "verify"
    return "setup" if required else ""


def mfa_authenticator_of(*, user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mfa_pending_authenticator_of(*, user: User) -> TOTPDevice | None:
    """The authenticator being set up: created, shown, not yet confirmed with a first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@dataclass(frozen=True)
class MfaStatus:
    authenticator: TOTPDevice | None
    recovery_codes_left: int


def mfa_status(*, user: User) -> MfaStatus:
    """The user's authenticator and how many unused recovery codes they hold (never the codes)."""
    left = StaticToken.objects.filter(device__in=StaticDevice.objects.filter(user=user, confirmed=True)).count()
    return MfaStatus(authenticator=mfa_authenticator_of(user=user), recovery_codes_left=left)


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link's token names, in any state, or None."""
    if not token:
        return None
    return Invitation.objects.select_related("business").filter(token_hash=invitation_token_digest(token)).first()


def invitations_revocable(*, user: User, now: datetime) -> QuerySet[Invitation]:
    """Pending invitations this user may withdraw: the ones they sent, and all of the businesses they own.

    The same rule as accounts.services.invitation_may_revoke, for a list.
    """
    mine = Membership.objects.filter(user=user)
    return (
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)
        .filter(
            Q(invited_by=user, business_id__in=mine.values("business_id"))
            | Q(business_id__in=mine.filter(role=Membership.Role.OWNER).values("business_id"))
        )
        .select_related("business")
        .order_by("business__name", "-created_at")
    )


def api_tokens_of(*, user: User, now: datetime) -> QuerySet[AuthToken]:
    """The user's API tokens that still work, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=now)
    return AuthToken.objects.filter(live, user=user).order_by("-created", "-digest")
