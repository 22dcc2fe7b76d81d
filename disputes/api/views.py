"""Responses, business information and customer answers: parse, call the dispute service, return the complaint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from complaints.api.serializers import ComplaintDetailSerializer
from complaints.api.views import ComplaintActionView
from complaints.models import Complaint
from core.api_schema import errors
from core.throttles import AnsweringThrottle
from disputes import services

from .serializers import AnswerCreateSerializer, BusinessInformationCreateSerializer, ResponseCreateSerializer


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Respond to the complaint (representative of the business)",
        description="Moves an awaiting_business (or, late, an unanswered) complaint to awaiting_consumer. "
        "Returns the complaint with the response in its thread.",
        request=ResponseCreateSerializer,
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
)
class ResponseCreateView(ComplaintActionView):
    throttle_classes = [AnsweringThrottle]
    input_serializer = ResponseCreateSerializer
    success_status = status.HTTP_201_CREATED

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.response_submit(complaint_id=complaint.pk, author=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Add information as the business (representative), where no response is due",
        description="In awaiting_consumer, staff_review and in_mediation the business may add information for the "
        "complainant and staff. The state and due dates do not change, and it counts no round. Where a response "
        "is due (awaiting_business, or late after unanswered), send a response instead: this answers 409. "
        "Returns the complaint with the information in its thread (`kind` `information`).",
        request=BusinessInformationCreateSerializer,
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
)
class BusinessInformationCreateView(ComplaintActionView):
    throttle_classes = [AnsweringThrottle]
    input_serializer = BusinessInformationCreateSerializer
    success_status = status.HTTP_201_CREATED

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.business_information_add(complaint_id=complaint.pk, author=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Answer as the complainant: add information, accept or reject",
        description="`none` adds information in any open state; `accept` marks the complaint resolved in any open "
        "state and late after Answered; `reject` (with the reason as `text`) sends a business response "
        "awaiting the complainant back to the business, or to staff review after two responses. "
        "Returns the complaint with the answer in its thread.",
        request=AnswerCreateSerializer,
        responses={201: ComplaintDetailSerializer, **errors(400, 401, 403, 404, 409, 429)},
    )
)
class AnswerCreateView(ComplaintActionView):
    throttle_classes = [AnsweringThrottle]
    input_serializer = AnswerCreateSerializer
    success_status = status.HTTP_201_CREATED

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.answer_submit(complaint_id=complaint.pk, author=user, **data)
