"""The complaint API: two doors to one core, so each view parses, calls one service or selector, serializes.

Permissions: every complaint is fetched with `complaint_get_for_user` (missing and not yours are
both 404); what a party may do to a complaint they can see is decided by the services (403 for
the wrong role, 409 when the workflow refuses). See core/api_errors.py for the mapping.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import filters, generics, permissions, serializers, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Business
from complaints import services
from complaints.attachments import attachment_response
from complaints.figures import CLOSED_STATE_DEFINITIONS, OUTCOME_DEFINITIONS, business_figures
from complaints.forms.profile import ProfileFilterForm
from complaints.issues import COUNTRIES, ISSUE_LABELS
from complaints.models import Complaint, ComplaintType, Notification, Status
from complaints.selectors.notes import staff_notes_for
from complaints.selectors.notifications import notification_list_for_user
from complaints.selectors.public import business_get_public
from complaints.selectors.visibility import complaint_get_for_user, complaint_visible_to
from complaints.services import notification_mark_read, notifications_mark_all_read
from core.api_schema import errors
from core.errors import InvalidInput, NotAllowed, NotFound
from core.throttles import AnsweringThrottle, FilingThrottle
from disputes import services as dispute_services
from disputes.selectors import PUBLIC_ORDERINGS, published_complaints, published_entries, thread_prefetch

from .pagination import Pagination
from .serializers import (
    BusinessProfileSerializer,
    ComplaintDetailSerializer,
    ComplaintFiledSerializer,
    ComplaintFileSerializer,
    ComplaintListSerializer,
    ConsentSerializer,
    NotificationReadResultSerializer,
    NotificationReadSerializer,
    NotificationSerializer,
    PublicResponseSerializer,
    PublicTextSerializer,
    PublishedComplaintSerializer,
    StaffNoteCreateSerializer,
    StaffNoteSerializer,
    StaffTransitionSerializer,
    WithdrawSerializer,
    published_data,
)

THREAD_PREFETCH = (*thread_prefetch(), "events")


class SearchFilter(filters.SearchFilter):
    """DRF's search, without the NUL bytes PostgreSQL refuses in a query."""

    def get_search_terms(self, request: Request) -> list[str]:
        return [term.replace("\x00", "") for term in super().get_search_terms(request) if term.replace("\x00", "")]


class ComplaintFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices, help_text="Only complaints in these statuses (repeat the parameter for several)."
    )
    type = django_filters.ChoiceFilter(choices=ComplaintType.choices, help_text="Only complaints of this type.")
    business = django_filters.CharFilter(
        field_name="business__slug", help_text="Only complaints against the business with this slug."
    )

    class Meta:
        model = Complaint
        fields = ["status", "type", "business"]


def visible_complaint(request: Request, number: str, *, thread: bool = True) -> Complaint:
    prefetch = THREAD_PREFETCH if thread else ()
    return complaint_get_for_user(user=request.user, number=number, prefetch=prefetch)  # type: ignore[arg-type]


def complaint_response(request: Request, number: str, code: int = status.HTTP_200_OK) -> Response:
    """The complaint as it is now, read again after a write."""
    return Response(
        ComplaintDetailSerializer(visible_complaint(request, number), context={"request": request}).data, status=code
    )


@extend_schema_view(
    get=extend_schema(
        summary="List the complaints you may see",
        description="Complainants see their own; representatives those against their businesses (once forwarded); "
        "staff see all. Filter by `status`, `type` and `business`, search the number and business name, "
        "order by `filed_at`, `due_at` or `status_changed_at` (prefix `-` for descending).",
        responses={200: ComplaintListSerializer, **errors(400, 401)},
    ),
)
@extend_schema(tags=["complaints"])
class ComplaintListView(generics.ListCreateAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ComplaintListSerializer
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, filters.OrderingFilter, SearchFilter]
    filterset_class = ComplaintFilter
    ordering_fields = ["filed_at", "due_at", "status_changed_at"]
    ordering = ["-filed_at", "-id"]
    search_fields = ["number", "business_name", "business__name"]

    def get_queryset(self) -> QuerySet[Complaint]:
        return complaint_visible_to(self.request.user)  # type: ignore[arg-type]

    def get_throttles(self) -> list:
        return [FilingThrottle()]

    @extend_schema(
        summary="File a complaint",
        request=ComplaintFileSerializer,
        responses={201: ComplaintFiledSerializer, **errors(400, 401, 429)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ComplaintFileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        slug = data.pop("business")
        business = None
        if slug:
            business = Business.objects.filter(slug=slug, is_listed=True).first()
            if business is None:
                raise InvalidInput(
                    "No such business.", field_errors={"business": ["No business in the directory has this slug."]}
                )
        complaint = services.complaint_file(complainant=request.user, business=business, **data)  # type: ignore[arg-type]
        # Just filed by this user: nothing to re-check or prefetch, the thread is empty, the history one event.
        context: dict[str, Any] = {"thread": [], "act_attachments": {}, "events": [complaint.filing_event]}  # type: ignore[attr-defined]
        if not data["attachments"]:
            context["attachments"] = []
        return Response(ComplaintFiledSerializer(complaint, context=context).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["complaints"])
class ComplaintDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Read one complaint with its thread",
        responses={200: ComplaintDetailSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, number: str) -> Response:
        return complaint_response(request, number)


class FirstRendererNegotiation(BaseContentNegotiation):
    """Errors in JSON whatever the client accepts: the file itself is sent without a renderer."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


@extend_schema(tags=["complaints"])
class AttachmentDownloadView(APIView):
    """A private attachment, to the complaint's parties and staff only; never from MEDIA_URL."""

    permission_classes = [permissions.IsAuthenticated]
    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(
        summary="Download an attachment of a complaint you may see",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            **errors(401, 404),
        },
    )
    def get(self, request: Request, number: str, pk: int) -> FileResponse:
        attachment = visible_complaint(request, number, thread=False).attachments.filter(pk=pk).first()
        if attachment is None:
            raise NotFound("No such attachment.")
        return attachment_response(attachment, inline=False)


class ComplaintActionView(APIView):
    """A POST to one complaint the user can see: parse `input_serializer`, call `act`, return the complaint."""

    permission_classes = [permissions.IsAuthenticated]
    input_serializer: type[serializers.Serializer]
    success_status: int = status.HTTP_200_OK

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, number: str) -> Response:
        complaint = visible_complaint(request, number, thread=False)
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.act(complaint, request.user, dict(serializer.validated_data))
        return complaint_response(request, number, self.success_status)


ACTION_ERRORS = errors(400, 401, 403, 404, 409)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Withdraw the complaint (complainant)",
        request=WithdrawSerializer,
        responses={200: ComplaintDetailSerializer, **ACTION_ERRORS},
    )
)
class ComplaintWithdrawView(ComplaintActionView):
    input_serializer = WithdrawSerializer

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.complaint_withdraw(complaint_id=complaint.pk, user=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Give or revoke consent to publish the text (complainant; withdrawn after closing, it unpublishes)",
        request=ConsentSerializer,
        responses={200: ComplaintDetailSerializer, **ACTION_ERRORS},
    )
)
class ComplaintConsentView(ComplaintActionView):
    input_serializer = ConsentSerializer

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.complaint_set_consent(complaint_id=complaint.pk, user=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Add the business's one public response to a published complaint (representative)",
        description="Once, after closing, in a public closed state. The text is masked as the complaint's is and "
        "shown on the published entry and in the open data only where the complainant consented to publish "
        "the complaint's text. A second public response answers 409.",
        request=PublicResponseSerializer,
        responses={201: ComplaintDetailSerializer, **ACTION_ERRORS},
    )
)
class ComplaintPublicResponseView(ComplaintActionView):
    throttle_classes = [AnsweringThrottle]
    input_serializer = PublicResponseSerializer
    success_status = status.HTTP_201_CREATED

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        services.complaint_public_response_add(complaint_id=complaint.pk, author=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    post=extend_schema(
        summary="Apply a staff action to the complaint (staff)",
        request=StaffTransitionSerializer,
        responses={200: ComplaintDetailSerializer, **ACTION_ERRORS},
    )
)
class ComplaintTransitionView(ComplaintActionView):
    input_serializer = StaffTransitionSerializer

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        dispute_services.complaint_staff_act(complaint_id=complaint.pk, staff=user, **data)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    get=extend_schema(
        summary="List the private staff notes of the complaint (staff)",
        description="Notes are never shown to the parties or the public; anyone but staff gets 404.",
        responses={200: StaffNoteSerializer(many=True), **errors(401, 404)},
    ),
    post=extend_schema(
        summary="Add a private staff note to the complaint (staff)",
        description="Notes are append-only and are not timeline events; anyone but staff gets 404.",
        request=StaffNoteCreateSerializer,
        responses={201: StaffNoteSerializer, **errors(400, 401, 404)},
    ),
)
class StaffNoteListView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _complaint(self, request: Request, number: str) -> Complaint:
        complaint = visible_complaint(request, number, thread=False)
        if not request.user.is_staff:
            # The notes do not exist for anyone but staff: the same 404 as for a complaint out of sight.
            raise NotFound("No such complaint.")
        return complaint

    def get(self, request: Request, number: str) -> Response:
        complaint = self._complaint(request, number)
        notes = staff_notes_for(user=request.user, complaint=complaint)  # type: ignore[arg-type]
        return Response(StaffNoteSerializer(notes, many=True).data)

    def post(self, request: Request, number: str) -> Response:
        complaint = self._complaint(request, number)
        serializer = StaffNoteCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = services.staff_note_add(
            complaint_id=complaint.pk,
            staff=request.user,  # type: ignore[arg-type]
            text=serializer.validated_data["text"],
        )
        return Response(StaffNoteSerializer(note).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["complaints"])
@extend_schema_view(
    put=extend_schema(
        summary="Replace the masked, published text of a closed complaint (staff); search follows at once",
        request=PublicTextSerializer,
        responses={200: ComplaintDetailSerializer, **ACTION_ERRORS},
    )
)
class ComplaintPublicTextView(ComplaintActionView):
    input_serializer = PublicTextSerializer
    http_method_names = ["put", "options"]

    def act(self, complaint: Complaint, user: Any, data: dict[str, Any]) -> None:
        if not user.is_staff:
            raise NotAllowed("Only Redress staff can do this.")
        services.complaint_public_text_set(complaint_id=complaint.pk, staff=user, **data)

    def put(self, request: Request, number: str) -> Response:
        return self.post(request, number)


@extend_schema(tags=["businesses"])
class BusinessProfileView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="A business's public profile with its figures",
        responses={200: BusinessProfileSerializer, **errors(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        business = business_get_public(slug=slug)
        business.figures = business_figures(business.pk)  # type: ignore[attr-defined]
        business.status_definitions = [  # type: ignore[attr-defined]
            {"status": value, "name": label, "meaning": meaning} for value, label, meaning in CLOSED_STATE_DEFINITIONS
        ]
        business.outcome_definitions = [  # type: ignore[attr-defined]
            {"outcome": value, "name": label, "meaning": meaning} for value, label, meaning in OUTCOME_DEFINITIONS
        ]
        return Response(BusinessProfileSerializer(business).data)


PUBLIC_STATUS_VALUES = [value for value, _, _ in CLOSED_STATE_DEFINITIONS]
PUBLIC_ORDERING_VALUES = list(PUBLIC_ORDERINGS)


@extend_schema(tags=["businesses"])
class PublishedComplaintListView(generics.ListAPIView):
    """The business's published complaints, masked: the same list as its profile page."""

    permission_classes = [permissions.AllowAny]
    serializer_class = PublishedComplaintSerializer
    filter_backends: list = []
    business: Business

    place: dict[str, str]

    def get_queryset(self) -> QuerySet[Complaint]:
        business = self.business = business_get_public(slug=self.kwargs["slug"])
        params = self.request.query_params
        form = ProfileFilterForm(params)
        if not form.is_valid():
            raise InvalidInput(
                "Invalid filter.", field_errors={name: [str(m) for m in found] for name, found in form.errors.items()}
            )
        self.place = form.filters()
        return published_complaints(
            business,
            status=params.get("status") or None,
            type=params.get("type") or None,
            ordering=params.get("ordering", "newest"),
            search=params.get("search", "").replace("\x00", ""),
            **self.place,
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        params = request.query_params
        known_total = not (params.get("search") or any(self.place.values()))
        if known_total and isinstance(self.paginator, Pagination):
            # The figures hold the total: counting 100,000 rows took longer than the page (bench/README.md).
            figures = business_figures(self.business.pk)
            self.paginator.known_count = figures.count(
                status=params.get("status") or None, type=params.get("type") or None
            )
        page = self.paginate_queryset(queryset)
        assert page is not None
        entries = published_entries(list(page), business_name=self.business.name)
        data = [published_data(entry) for entry in entries]
        return self.get_paginated_response(PublishedComplaintSerializer(data, many=True).data)

    @extend_schema(
        summary="A business's published complaints (masked)",
        parameters=[
            OpenApiParameter("status", str, enum=PUBLIC_STATUS_VALUES, description="Only this public closed state."),
            OpenApiParameter("type", str, enum=ComplaintType.values, description="Only this complaint type."),
            OpenApiParameter(
                "ordering", str, enum=PUBLIC_ORDERING_VALUES, description="`newest` (default) or `oldest` first."
            ),
            OpenApiParameter("search", str, description="Words to find in the published (masked, consented) text."),
            OpenApiParameter("issue", str, enum=[*ISSUE_LABELS], description="Only this issue (any type's)."),
            OpenApiParameter(
                "country",
                str,
                enum=[*COUNTRIES],
                description="Only complaints from consumers in this country (ISO 3166-1 alpha-2).",
            ),
            OpenApiParameter(
                "region", str, description="Only this state or region (whatever the case; at most 100 characters)."
            ),
        ],
        responses={200: PublishedComplaintSerializer(many=True), **errors(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["notifications"])
@extend_schema_view(
    get=extend_schema(
        summary="Your notifications, newest first",
        description="The in-app notices about your complaints, as on /notifications/; reading them here marks "
        "nothing read (POST to `read/`). `unread=true` lists only the unread ones; `count` is how many.",
        parameters=[OpenApiParameter("unread", bool, description="Only notifications not yet marked read.")],
        responses={200: NotificationSerializer(many=True), **errors(400, 401)},
    )
)
class NotificationListView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Notification]:
        notifications = notification_list_for_user(user=self.request.user).select_related("complaint")  # type: ignore[arg-type]
        unread = self.request.query_params.get("unread", "")
        if unread not in ("", "true", "false"):
            raise InvalidInput("Invalid filter.", field_errors={"unread": ["Use true or false."]})
        return notifications.filter(read_at__isnull=True) if unread == "true" else notifications


@extend_schema(tags=["notifications"])
class NotificationReadView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Mark your notifications read",
        request=NotificationReadSerializer,
        responses={200: NotificationReadResultSerializer, **errors(400, 401)},
    )
    def post(self, request: Request) -> Response:
        serializer = NotificationReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = notification_mark_read(user=request.user, ids=serializer.validated_data["ids"])  # type: ignore[arg-type]
        return Response({"marked": marked})


@extend_schema(tags=["notifications"])
class NotificationReadAllView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        summary="Mark all your notifications read",
        description="Every notification of yours still unread becomes read; the body is empty.",
        request=None,
        responses={200: NotificationReadResultSerializer, **errors(401)},
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=request.user)})  # type: ignore[arg-type]
