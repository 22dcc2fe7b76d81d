"""Sign-up, tokens, the business directory and its representatives."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Business
from accounts.selectors import account_data_export, business_search
from core.api_schema import errors
from core.errors import InvalidInput
from core.security import security_event
from core.throttles import SigninThrottle, SignupThrottle

from .serializers import (
    AccountDeleteSerializer,
    AccountSerializer,
    BusinessCreateSerializer,
    BusinessSerializer,
    RepresentativeAddSerializer,
    RepresentativeSerializer,
    SignupSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class IsStaffOrReadOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class SignupView(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [SignupThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Create a complainant account",
        request=SignupSerializer,
        responses={201: AccountSerializer, **errors(400, 429)},
    )
    def post(self, request: Request) -> Response:
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_signup(**serializer.validated_data)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [SigninThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Exchange an e-mail address and password for an API token",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **errors(400, 429)},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"].lower(),
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise InvalidInput("Wrong e-mail address or password.")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MyDataExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Everything Redress holds about you, as one JSON document",
        responses={200: OpenApiTypes.OBJECT, **errors(401)},
    )
    def get(self, request: Request) -> Response:
        data = account_data_export(user=request.user)  # type: ignore[arg-type]
        security_event("personal_data_exported", request=request._request, user=request.user)
        return Response(data)


class MyAccountDeleteView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Delete your account; your complaints stay on the record without your name or address",
        description=(
            "Open complaints are withdrawn first. The account can no longer sign in and its tokens end. "
            "Staff and representatives are refused (403)."
        ),
        request=AccountDeleteSerializer,
        responses={204: None, **errors(400, 401, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        entry = services.account_delete(user=user, password=serializer.validated_data["password"])  # type: ignore[arg-type]
        security_event(
            "account_deleted", request=request._request, user=user, withdrawn=entry.data.get("withdrawn", [])
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["businesses"])
class BusinessListView(generics.ListCreateAPIView):
    """The public directory; staff add businesses to it."""

    permission_classes = [IsStaffOrReadOnly]
    serializer_class = BusinessSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Business]:
        params = self.request.query_params
        return business_search(
            query=params.get("search", "").replace("\x00", ""),
            category=params.get("category", "").replace("\x00", ""),
            city=params.get("city", "").replace("\x00", ""),
        )

    @extend_schema(
        summary="Search the directory",
        parameters=[
            OpenApiParameter("search", str, description="A fragment of the business's name or website."),
            OpenApiParameter("category", str, description="Exact category, any case."),
            OpenApiParameter("city", str, description="City of the main office or of any location."),
        ],
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Add a business (staff)",
        request=BusinessCreateSerializer,
        responses={201: BusinessSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = BusinessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        business = services.business_create(staff=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(BusinessSerializer(business).data, status=status.HTTP_201_CREATED)


class RepresentativeAddView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsStaffOrReadOnly]

    @extend_schema(
        tags=["businesses"],
        summary="Make an existing account a representative of the business (staff)",
        request=RepresentativeAddSerializer,
        responses={201: RepresentativeSerializer, 200: RepresentativeSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, slug: str) -> Response:
        business = get_object_or_404(Business, slug=slug.replace("\x00", ""))
        serializer = RepresentativeAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership, created = services.representative_add(
            staff=request.user,  # type: ignore[arg-type]
            business=business,
            email=serializer.validated_data["email"],
        )
        return Response(
            RepresentativeSerializer(membership).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
