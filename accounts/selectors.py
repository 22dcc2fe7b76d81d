"""Reads about users and businesses."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Business, Membership, User


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
