"""Reads about users and businesses."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
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
