"""The public Data page: what the open data holds, a trend chart, and the download (docs/open-data.md)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.errors import InvalidInput

from ..figures import months_chart
from ..forms.open_data import OpenDataFilterForm
from ..issues import ISSUE_GROUPS, ResponseOutcome
from ..open_data import FIELD_DEFINITIONS, FIELDS, Filters, filters_from, open_data_trend


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    form = OpenDataFilterForm(request.GET or None)
    parameters: dict[str, str] = {}
    filters = Filters()
    if form.is_bound and form.is_valid():
        parameters = form.parameters()
        try:
            filters = filters_from(parameters)
        except InvalidInput as exc:
            for field, problems in exc.field_errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            parameters = {}
    trend = open_data_trend(filters, by="type")
    query = f"?{urlencode(parameters)}" if parameters else ""
    year_ago = (timezone.now() - timedelta(days=365)).date().isoformat()
    return render(
        request,
        "data/index.html",
        {
            "form": form,
            "trend": trend,
            "chart": months_chart(
                trend.months,
                total=trend.total,
                verb="filed",
                title="Published complaints filed per month",
                caption="Published complaints matching the filters, by the month they were filed, "
                "over the last 12 months.",
            ),
            "by_type": sorted(
                ((trend.labels.get(value, value), sum(counts.values())) for value, counts in trend.series.items()),
                key=lambda item: -item[1],
            ),
            "csv_url": reverse("api-open-data-csv") + query,
            "json_url": reverse("api-open-data") + query,
            "trends_url": reverse("api-open-data-trends") + (f"{query}&by=type" if query else "?by=type"),
            "last_year_url": reverse("complaints:data")
            + "?"
            + urlencode({**parameters, "date_received_min": year_ago}),
            "fields": [(name, FIELD_DEFINITIONS[name]) for name in FIELDS],
            "issues": ISSUE_GROUPS,
            "outcomes": ResponseOutcome.choices,
            "filtered": bool(parameters),
        },
    )
