"""Search across businesses: `GET /api/v1/complaints/search/?q=` (docs/api.md, "Search").

Anyone may search, signed in or not, within the search rate limit. Only published complaints
are found, by their consented, masked text or their business's name (complaints/search.py).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.search import CANDIDATES, DEFAULT_SIZE, MAX_QUERY, MAX_SIZE, complaints_search, search_from
from core.api_fields import FreshFields
from core.api_schema import errors
from core.throttles import SearchThrottle


class SearchResultSerializer(FreshFields, serializers.Serializer):
    number = serializers.CharField(help_text="The case number.")
    business = serializers.CharField(help_text="The business's slug in the directory.")
    company = serializers.CharField(help_text="The business's name.")
    type = serializers.CharField(help_text="The complaint type's value.")
    type_label = serializers.CharField(help_text="The complaint type, in words.")
    issue = serializers.CharField(help_text="The issue's value; empty if none was given.")
    issue_label = serializers.CharField(help_text="The issue, in words.")
    status = serializers.CharField(help_text="How it closed.")
    status_label = serializers.CharField(help_text="How it closed, in words.")
    date_received = serializers.DateField(help_text="The day it was filed (UTC).")
    date_closed = serializers.DateField(allow_null=True, help_text="The day it closed (UTC).")
    has_narrative = serializers.BooleanField(help_text="Whether the masked text is published.")
    excerpt = serializers.CharField(help_text="The start of the masked text; empty without consent.")
    rank = serializers.FloatField(help_text="How well it matches: higher is better.")
    url = serializers.CharField(help_text="The complaint's entry on its business's profile.")


class SearchPageSerializer(FreshFields, serializers.Serializer):
    count = serializers.IntegerField(help_text=f"Matches ranked, at most {CANDIDATES}.")
    more = serializers.BooleanField(help_text=f"More matches exist beyond the newest {CANDIDATES}: narrow the search.")
    page = serializers.IntegerField(help_text="This page's number, from 1.")
    pages = serializers.IntegerField(help_text="How many pages the ranked matches fill.")
    size = serializers.IntegerField(help_text="Results per page asked for.")
    next = serializers.CharField(allow_null=True, help_text="The next page's URL; null on the last.")
    previous = serializers.CharField(allow_null=True, help_text="The previous page's URL; null on the first.")
    results = SearchResultSerializer(many=True, help_text="The results, best match first.")


SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        OpenApiTypes.STR,
        required=True,
        description=f"Words to find (websearch syntax), up to {MAX_QUERY} characters.",
    ),
    OpenApiParameter("type", OpenApiTypes.STR, description="The complaint type, as value or label; repeatable."),
    OpenApiParameter("issue", OpenApiTypes.STR, description="The issue, as value or label; repeatable."),
    OpenApiParameter("status", OpenApiTypes.STR, description="A published status, such as resolved; repeatable."),
    OpenApiParameter("business", OpenApiTypes.STR, description="The business's slug; repeatable."),
    OpenApiParameter("date_received_min", OpenApiTypes.DATE, description="Filed on or after this day (UTC)."),
    OpenApiParameter("date_received_max", OpenApiTypes.DATE, description="Filed before this day (half-open)."),
    OpenApiParameter("page", OpenApiTypes.INT, description=f"The page, 1 to {CANDIDATES} ÷ size."),
    OpenApiParameter("size", OpenApiTypes.INT, description=f"Results per page, 1 to {MAX_SIZE} ({DEFAULT_SIZE})."),
]


class ComplaintSearchView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SearchThrottle]

    @extend_schema(
        tags=["search"],
        summary="Search every published complaint, across businesses, best match first",
        description="Finds published complaints by their consented, masked text (full-text search) or their "
        f"business's name. The newest {CANDIDATES} matches are ranked; `more` says there are others.",
        parameters=SEARCH_PARAMETERS,
        responses={200: SearchPageSerializer, **errors(400, 429)},
    )
    def get(self, request: Request) -> Response:
        search = search_from(request.query_params)
        page = complaints_search(search)

        def link(number: int) -> str:
            query = request.query_params.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "count": page.count,
                "more": page.more,
                "page": page.page,
                "pages": page.pages,
                "size": page.size,
                "next": link(page.page + 1) if page.has_next else None,
                "previous": link(page.page - 1) if page.has_previous else None,
                "results": page.results,
            }
        )
