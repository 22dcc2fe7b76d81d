"""Reads of webhooks, starting from the businesses the user manages (missing and forbidden: 404)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.models import Business, User
from core.errors import NotFound

from .models import Attempt, Delivery, Endpoint
from .permissions import managed_businesses

DELIVERY_LOG_SIZE = 50


def business_get_for_manager(*, user: User | None, slug: str) -> Business:
    business = managed_businesses(user).filter(slug=slug).first()
    if business is None:
        raise NotFound("No such business.")
    return business


def endpoints_for(*, business: Business) -> QuerySet[Endpoint]:
    return Endpoint.objects.filter(business=business).order_by("id")


def endpoint_get(*, business: Business, endpoint_id: int) -> Endpoint:
    endpoint = Endpoint.objects.filter(business=business, pk=endpoint_id).select_related("business").first()
    if endpoint is None:
        raise NotFound("No such webhook endpoint.")
    return endpoint


def deliveries_for(*, endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first, each with its attempts in order."""
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .select_related("complaint")
        .prefetch_related(Prefetch("attempt_log", queryset=Attempt.objects.order_by("id")))
        .order_by("-id")
    )


def delivery_get(*, endpoint: Endpoint, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.filter(endpoint=endpoint, pk=delivery_id).first()
    if delivery is None:
        raise NotFound("No such delivery.")
    return delivery
