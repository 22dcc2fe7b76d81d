"""Who manages a business's webhooks: its representatives only; everyone else sees nothing (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Business, Membership, User


def managed_businesses(user: User | None) -> QuerySet[Business]:
    """The businesses whose endpoints this user manages: those they represent."""
    if user is None or not user.is_authenticated:
        return Business.objects.none()
    return Business.objects.filter(pk__in=Membership.objects.filter(user=user).values("business_id"))
