"""Sign-up, tokens, the business directory and its representatives."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Business, User
from accounts.selectors import account_data_export, api_tokens_of, business_search, mfa_owed
from core.api_errors import error_body
from core.api_schema import errors
from core.errors import CodeRefused, InvalidInput
from core.security import security_event
from core.throttles import SigninThrottle, SignupThrottle

from .serializers import (
    AccountDeleteSerializer,
    ApiTokenSerializer,
    BusinessCreateSerializer,
    BusinessSerializer,
    RepresentativeAddSerializer,
    RepresentativeSerializer,
    SignupAcceptedSerializer,
    SignupSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    TokensRevokedSerializer,
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
        description="Answers 202 alike whether or not the address already has an account, so that the answer "
        "does not tell who uses Redress. A new address gets a confirmation link; the owner of a taken address "
        "is told by e-mail that someone tried to sign up with it.",
        request=SignupSerializer,
        responses={202: SignupAcceptedSerializer, **errors(400, 429)},
    )
    def post(self, request: Request) -> Response:
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.signup_request(**serializer.validated_data)
        email = serializer.validated_data["email"].strip().lower()
        return Response(
            {"email": email, "detail": f"We sent a message to {email}: open its link to confirm the address."},
            status=status.HTTP_202_ACCEPTED,
        )


class TokenView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [SigninThrottle]

    @extend_schema(
        tags=["auth"],
        summary="Exchange an e-mail address and password for an API token",
        description="The token works until `expires_at` (REDRESS_API_TOKEN_HOURS after sign-in), until its "
        "owner revokes it, or until the password changes.",
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, **errors(400, 403, 429)},
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].lower()
        # The Django request, so that the sign-in lockout (accounts/signin.py) counts and refuses here too.
        user = authenticate(request=request._request, username=email, password=serializer.validated_data["password"])
        if user is None:
            raise InvalidInput("Wrong e-mail address or password.")
        refusal = _second_factor_refusal(request, user, serializer.validated_data.get("otp", ""))
        if refusal:
            return Response(error_body(refusal, "mfa_required"), status=status.HTTP_403_FORBIDDEN)
        token, secret = services.api_token_create(user=user, request=request._request)  # type: ignore[arg-type]
        return Response(TokenSerializer({"token": secret, "expires_at": token.expiry}).data)


def _second_factor_refusal(request: Request, user: User, code: str) -> str:
    """Why a staff sign-in for a token still owes its second factor, or "" when it owes nothing.

    A token is a session by other means: the staff who must give a code to open a page must give
    it for a token too (docs/operations.md, "Staff sign-in with a second factor").
    """
    owed = mfa_owed(user=user, required=settings.REDRESS_ADMIN_REQUIRE_MFA)
    if owed == "setup":
        return "Set up your second factor at /accounts/mfa/setup/ before asking for an API token."
    if owed != "verify":
        return ""
    if not code:
        security_event("mfa_failed", request=request._request, user=user, stage="token", reason="no_code")
        return "Send a code from your authenticator app, or a recovery code, as `otp`."
    try:
        services.mfa_verify(user=user, code=code)
    except CodeRefused as exc:
        security_event("mfa_failed", request=request._request, user=user, stage="token", reason=exc.reason)
        return exc.message
    security_event("mfa_verified", request=request._request, user=user, stage="token")
    return ""


def _current_digest(request: Request) -> str | None:
    """The digest of the token this request was signed with (None for a session)."""
    return getattr(request.auth, "digest", None)


class TokenListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="List your API tokens that still work",
        responses={200: ApiTokenSerializer(many=True), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        tokens = api_tokens_of(user=request.user, now=timezone.now())  # type: ignore[arg-type]
        context = {"current_digest": _current_digest(request)}
        return Response(ApiTokenSerializer(tokens, many=True, context=context).data)


class TokenRevokeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Revoke one of your API tokens",
        parameters=[
            OpenApiParameter(
                "token_id", str, OpenApiParameter.PATH, description="The token's `id`: its first 15 characters."
            )
        ],
        responses={204: None, **errors(401, 404)},
    )
    def delete(self, request: Request, token_id: str) -> Response:
        services.api_token_revoke(user=request.user, token_id=token_id, request=request._request)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRevokeAllView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["auth"],
        summary="Revoke every one of your API tokens, the one of this request included",
        request=None,
        responses={200: TokensRevokedSerializer, **errors(401)},
    )
    def post(self, request: Request) -> Response:
        revoked = services.api_tokens_end(user=request.user, reason="owner", request=request._request)  # type: ignore[arg-type]
        return Response({"revoked": revoked})


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
