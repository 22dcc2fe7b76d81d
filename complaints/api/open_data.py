"""The open data API: published complaints as JSON pages or one streamed CSV, and monthly trends.

Anyone may read it, signed in or not, within the open-data rate limits (docs/open-data.md).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints.open_data import (
    FIELDS,
    FORMATS,
    MAX_SIZE,
    TREND_DIMENSIONS,
    Filters,
    csv_value,
    cursor_from,
    filters_from,
    open_data_page,
    open_data_rows,
    open_data_trend,
    size_from,
)
from core.api_fields import FreshFields
from core.api_schema import errors
from core.errors import InvalidInput
from core.throttles import OpenDataExportThrottle, OpenDataThrottle

from .views import FirstRendererNegotiation


class _Echo:
    """A file-like object whose write returns the line, for csv.writer inside a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(filters: Filters) -> Iterator[str]:
    """The CSV of every matching row, header first, one line at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow(FIELDS)
    for row in open_data_rows(filters):
        yield writer.writerow([csv_value(row[name]) for name in FIELDS])


def csv_response(filters: Filters) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(filters), content_type="text/csv; charset=utf-8")
    day = timezone.now().date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="redress-complaints-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response


FILTER_PARAMETERS = [
    OpenApiParameter("search_term", OpenApiTypes.STR, description="Words in the published (masked) text."),
    OpenApiParameter("date_received_min", OpenApiTypes.DATE, description="Filed on or after this day (UTC)."),
    OpenApiParameter("date_received_max", OpenApiTypes.DATE, description="Filed before this day (half-open)."),
    OpenApiParameter("company", OpenApiTypes.STR, description="The business's name; repeat or comma-separate."),
    OpenApiParameter("business", OpenApiTypes.STR, description="The business's slug; repeat or comma-separate."),
    OpenApiParameter("product", OpenApiTypes.STR, description="The complaint type, as value or label."),
    OpenApiParameter("issue", OpenApiTypes.STR, description="The issue, as value or label."),
    OpenApiParameter("state", OpenApiTypes.STR, description="The consumer's state or region."),
    OpenApiParameter("country", OpenApiTypes.STR, description="The consumer's country (ISO 3166-1 alpha-2)."),
    OpenApiParameter("status", OpenApiTypes.STR, description="A published status, such as resolved."),
    OpenApiParameter("has_narrative", OpenApiTypes.BOOL, description="Only with (or without) published text."),
]


class OpenDataRowSerializer(FreshFields, serializers.Serializer):
    complaint_id = serializers.CharField(help_text="The case number.")
    date_received = serializers.DateField(help_text="When the complaint was filed (UTC day).")
    date_sent_to_company = serializers.DateField(allow_null=True, help_text="When the business was first told.")
    date_closed = serializers.DateField(allow_null=True, help_text="When the complaint closed.")
    company = serializers.CharField(help_text="The business's name.")
    business = serializers.CharField(help_text="The business's slug in the directory.")
    product = serializers.CharField(help_text="The complaint type, in words.")
    type = serializers.CharField(help_text="The complaint type's value.")
    issue = serializers.CharField(help_text="The issue under the type, in words; empty if none was given.")
    issue_code = serializers.CharField(help_text="The issue's value.")
    sub_issue = serializers.CharField(help_text="Always empty: Redress has no sub-issues.")
    company_response = serializers.CharField(help_text="The outcome the business gave with its latest response.")
    relief_amount = serializers.CharField(allow_null=True, help_text="The amount of monetary relief.")
    company_public_response = serializers.CharField(help_text="The business's public response, masked.")
    timely = serializers.CharField(help_text="Yes if the business responded by its deadline.")
    consumer_disputed = serializers.CharField(help_text="Yes if the complainant rejected a response.")
    consumer_consent_provided = serializers.CharField(help_text="Whether the complainant consented to publish.")
    has_narrative = serializers.BooleanField(help_text="Whether the masked text is published.")
    complaint_what_happened = serializers.CharField(help_text="The masked text, where consented.")
    state = serializers.CharField(help_text="The consumer's state or region.")
    country = serializers.CharField(help_text="The consumer's country (ISO 3166-1 alpha-2).")
    submitted_via = serializers.CharField(help_text="How it was filed.")
    tags = serializers.ListField(child=serializers.CharField(), help_text="Always empty for now.")
    status = serializers.CharField(help_text="Redress's closed status.")
    closing_summary = serializers.CharField(help_text="Why the complaint closed, in one sentence.")


class OpenDataPageSerializer(FreshFields, serializers.Serializer):
    size = serializers.IntegerField(help_text="Rows on this page.")
    frm = serializers.CharField(allow_null=True, help_text="Pass as `frm` for the next page; null on the last.")
    next = serializers.CharField(allow_null=True, help_text="The next page's URL; null on the last.")
    results = OpenDataRowSerializer(many=True, help_text="The published complaints of this page, newest filed first.")


class OpenDataView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []
    # `format` is the open data's own parameter (json or csv), not a choice of renderer.
    content_negotiation_class = FirstRendererNegotiation

    def get_throttles(self) -> list[Any]:
        if self.request.query_params.get("format") == "csv":
            return [OpenDataExportThrottle()]
        return [OpenDataThrottle()]


class OpenDataComplaintsView(OpenDataView):
    @extend_schema(
        tags=["open data"],
        summary="Published complaints, newest filed first, paged by keyset",
        description="Field and parameter names follow the CFPB Consumer Complaint Database API where the concept "
        "matches (docs/open-data.md). Pass the `frm` of a page to get the next. `format=csv` streams every "
        "matching row as CSV, as `/api/v1/open-data/complaints.csv` does.",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("size", OpenApiTypes.INT, description=f"Rows per page, 1 to {MAX_SIZE:,} (25)."),
            OpenApiParameter("frm", OpenApiTypes.STR, description="The cursor of the page to read."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), description="json (default) or csv."),
        ],
        responses={200: OpenDataPageSerializer, **errors(400, 429)},
    )
    def get(self, request: Request) -> Any:
        params = request.query_params
        output = params.get("format") or "json"
        if output not in FORMATS:
            raise InvalidInput("Bad format.", field_errors={"format": ["Give json or csv."]})
        filters = filters_from(params)
        if output == "csv":
            return csv_response(filters)
        size = size_from(params)
        rows, following = open_data_page(filters, size=size, cursor=cursor_from(params))
        next_url = None
        if following is not None:
            query = params.copy()
            query["frm"] = following.encode()
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return Response(
            {
                "size": len(rows),
                "frm": following.encode() if following else None,
                "next": next_url,
                "results": rows,
            }
        )


class OpenDataCsvView(OpenDataView):
    def get_throttles(self) -> list[Any]:
        return [OpenDataExportThrottle()]

    @extend_schema(
        tags=["open data"],
        summary="Every matching published complaint as one streamed CSV",
        description="The same filters and fields as the JSON pages; a header row, then one line per complaint, "
        "newest filed first. Streamed in constant memory.",
        parameters=FILTER_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR, **errors(400, 429)},
    )
    def get(self, request: Request) -> Any:
        return csv_response(filters_from(request.query_params))


class TrendMonthSerializer(FreshFields, serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM.")
    count = serializers.IntegerField(help_text="Complaints filed that month.")


class TrendSeriesSerializer(FreshFields, serializers.Serializer):
    value = serializers.CharField(help_text="The type, issue, status or business name.")
    label = serializers.CharField(help_text="The value in words.")  # type: ignore[assignment]  # named like Field.label
    months = TrendMonthSerializer(many=True, help_text="Its complaints per month, oldest first.")


class TrendSerializer(FreshFields, serializers.Serializer):
    by = serializers.ChoiceField(choices=TREND_DIMENSIONS, help_text="What the series are counted by.")
    total = TrendMonthSerializer(many=True, help_text="All matching complaints per month.")
    series = TrendSeriesSerializer(many=True, help_text="One series per value, largest first.")


class OpenDataTrendsView(OpenDataView):
    @extend_schema(
        tags=["open data"],
        summary="Published complaints received per month over the last 12 months, by type, issue, status or business",
        parameters=[
            OpenApiParameter("by", OpenApiTypes.STR, enum=list(TREND_DIMENSIONS), required=True),
            *FILTER_PARAMETERS,
        ],
        responses={200: TrendSerializer, **errors(400, 429)},
    )
    def get(self, request: Request) -> Response:
        filters = filters_from(request.query_params)
        trend = open_data_trend(filters, by=request.query_params.get("by") or "")
        keys = [month.month.strftime("%Y-%m") for month in trend.months]
        return Response(
            {
                "by": trend.by,
                "total": [{"month": key, "count": month.count} for key, month in zip(keys, trend.months, strict=True)],
                "series": [
                    {
                        "value": value,
                        "label": trend.labels.get(value, value),
                        "months": [{"month": key, "count": counts.get(key, 0)} for key in keys],
                    }
                    for value, counts in sorted(trend.series.items())
                ],
            }
        )
