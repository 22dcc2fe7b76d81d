"""Business responses and customer answers: parse, call the dispute service, return the complaint."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.api.schema import errors
from complaints.api.serializers import ComplaintDetailSerializer
from complaints.api.throttles import AnsweringThrottle
from complaints.api.views import complaint_response, visible_complaint
from disputes import services

from .serializers import AnswerCreateSerializer, ResponseCreateSerializer


@extend_schema(tags=["complaints"])
class ResponseCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [AnsweringThrottle]

    @extend_schema(
        summary="Respond to the complaint (representative of the business)",
        description="Moves an awaiting_business (or, late, an unanswered) complaint to awaiting_consumer. "
        "Returns the complaint with the response in its thread.",
        request=ResponseCreateSerializer,
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request: Request, number: str) -> Response:
        complaint = visible_complaint(request, number, thread=False)
        serializer = ResponseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.response_submit(complaint_id=complaint.pk, author=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return complaint_response(request, number, status.HTTP_201_CREATED)


@extend_schema(tags=["complaints"])
class AnswerCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [AnsweringThrottle]

    @extend_schema(
        summary="Answer as the complainant: add information, accept or reject",
        description="`none` adds information in any open state; `accept` marks the complaint resolved in any open "
        "state and late after Answered; `reject` (with the reason as `text`) sends a business response "
        "awaiting the complainant back to the business, or to staff review after two responses. "
        "Returns the complaint with the answer in its thread.",
        request=AnswerCreateSerializer,
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
    def post(self, request: Request, number: str) -> Response:
        complaint = visible_complaint(request, number, thread=False)
        serializer = AnswerCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.answer_submit(complaint_id=complaint.pk, author=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return complaint_response(request, number, status.HTTP_201_CREATED)
