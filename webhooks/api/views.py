"""The webhooks API: a business's endpoints, their delivery log and manual redelivery.

Representatives of the business only; anyone else gets 404 (docs/api.md, "Webhooks").
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.pagination import Pagination
from core.api_schema import errors

from .. import selectors, services
from ..models import Delivery
from .serializers import (
    AttemptSerializer,
    DeliverySerializer,
    EndpointCreateSerializer,
    EndpointSecretSerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
)


class Managed:
    """Fetch and authorise together: the business the user represents, then its endpoint."""

    def business(self, request: Request, slug: str) -> Any:
        return selectors.business_get_for_manager(user=request.user, slug=slug)  # type: ignore[arg-type]

    def endpoint(self, request: Request, slug: str, endpoint_id: int) -> Any:
        return selectors.endpoint_get(business=self.business(request, slug), endpoint_id=endpoint_id)


@extend_schema(tags=["webhooks"])
class EndpointListView(Managed, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="List the business's webhook endpoints (its representatives)",
        responses={200: EndpointSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        endpoints = selectors.endpoints_for(business=self.business(request, slug))
        return Response(EndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        summary="Register a webhook endpoint; the secret is in this answer only",
        request=EndpointCreateSerializer,
        responses={201: EndpointSecretSerializer, **errors(400, 401, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        business = self.business(request, slug)
        serializer = EndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(business=business, user=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(EndpointSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["webhooks"])
class EndpointDetailView(Managed, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Read one webhook endpoint", responses={200: EndpointSerializer, **errors(401, 404)})
    def get(self, request: Request, slug: str, endpoint_id: int) -> Response:
        return Response(EndpointSerializer(self.endpoint(request, slug, endpoint_id)).data)

    @extend_schema(
        summary="Change an endpoint's URL or events, or enable or disable it",
        request=EndpointUpdateSerializer,
        responses={200: EndpointSerializer, **errors(400, 401, 404)},
    )
    def patch(self, request: Request, slug: str, endpoint_id: int) -> Response:
        endpoint = self.endpoint(request, slug, endpoint_id)
        serializer = EndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return Response(EndpointSerializer(endpoint).data)

    @extend_schema(summary="Remove an endpoint and its delivery log", responses={204: None, **errors(401, 404)})
    def delete(self, request: Request, slug: str, endpoint_id: int) -> Response:
        services.endpoint_delete(endpoint=self.endpoint(request, slug, endpoint_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["webhooks"])
class EndpointRotateView(Managed, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Rotate the secret; the previous one keeps signing during the overlap",
        request=None,
        responses={200: EndpointSecretSerializer, **errors(401, 404)},
    )
    def post(self, request: Request, slug: str, endpoint_id: int) -> Response:
        endpoint = services.endpoint_rotate(endpoint=self.endpoint(request, slug, endpoint_id))
        return Response(EndpointSecretSerializer(endpoint).data)


@extend_schema(tags=["webhooks"])
class EndpointPingView(Managed, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Send a test delivery (webhook.ping) now",
        request=None,
        responses={202: DeliverySerializer, **errors(401, 404)},
    )
    def post(self, request: Request, slug: str, endpoint_id: int) -> Response:
        delivery = services.endpoint_ping(endpoint=self.endpoint(request, slug, endpoint_id))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"])
class DeliveryListView(Managed, generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    serializer_class = DeliverySerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no URL arguments
            return Delivery.objects.none()
        endpoint = self.endpoint(self.request, self.kwargs["slug"], self.kwargs["endpoint_id"])
        return selectors.deliveries_for(endpoint=endpoint)

    @extend_schema(
        summary="The endpoint's delivery log, newest first, with every attempt",
        responses={200: DeliverySerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["webhooks"])
class DeliveryRedeliverView(Managed, APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Send one delivery again now; answers with the attempt",
        request=None,
        responses={200: AttemptSerializer, **errors(401, 404)},
    )
    def post(self, request: Request, slug: str, endpoint_id: int, delivery_id: int) -> Response:
        delivery = selectors.delivery_get(endpoint=self.endpoint(request, slug, endpoint_id), delivery_id=delivery_id)
        attempt = services.delivery_redeliver(delivery=delivery)
        return Response(AttemptSerializer(attempt).data)
