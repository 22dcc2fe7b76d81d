"""Public pages: the business directory and each business's profile with its published complaints."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.selectors import business_search, listed_categories
from core.errors import NotFound
from disputes.selectors import PUBLIC_ORDERINGS, published_complaints, published_entries

from ..figures import CLOSED_STATE_DEFINITIONS, FIGURE_DEFINITIONS, business_figures, monthly_chart
from ..models import ComplaintType
from ..selectors.public import business_get_public, page_rows
from ..workflow import PUBLIC_CLOSED_STATES

DIRECTORY_PAGE_SIZE = 20
PROFILE_PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200


def _text(request: HttpRequest, name: str) -> str:
    return request.GET.get(name, "").strip()[:MAX_QUERY_LENGTH]


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


@dataclass(frozen=True)
class ListPage:
    """One page of a list whose total is either known (from the figures) or not counted at all."""

    number: int
    items: list[Any]
    total: int | None
    num_pages: int | None
    has_next: bool
    per_page: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.items)


def list_page(qs: QuerySet[Any], *, number: int, per_page: int, total: int | None) -> ListPage:
    """Slice one page without COUNT(*): the total comes from the figures, or is left unknown.

    With a known total a page past the end shows the last page; without one the page asks for
    one row more than it shows, to know whether a next page exists.
    """
    if total is not None:
        num_pages = max(1, math.ceil(total / per_page))
        number = min(number, num_pages)
        offset = (number - 1) * per_page
        items = page_rows(qs, offset, per_page)
        return ListPage(number, items, total, num_pages, number < num_pages, per_page)
    offset = (number - 1) * per_page
    items = page_rows(qs, offset, per_page + 1)
    return ListPage(number, items[:per_page], None, None, len(items) > per_page, per_page)


@require_GET
def business_directory(request: HttpRequest) -> HttpResponse:
    """Listed businesses, searched by name, category and city."""
    query, category, city = _text(request, "q"), _text(request, "category"), _text(request, "city")
    businesses = business_search(query=query, category=category, city=city).prefetch_related("locations")
    page = Paginator(businesses, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "businesses/directory.html",
        {
            "page": page,
            "query": query,
            "category": category,
            "city": city,
            "categories": listed_categories(),
            "searched": bool(query or category or city),
        },
    )


@require_GET
def business_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """A listed business's record: details, figures, chart and its published complaints.

    The query count does not depend on the number of complaints, the page, the filters or the
    sort: business, locations, figures (day rows), one page of complaints, their responses and
    their answers.
    """
    try:
        business = business_get_public(slug=slug)
    except NotFound as exc:
        raise Http404("No such business.") from exc
    status = request.GET.get("status", "")
    status = status if status in PUBLIC_CLOSED_STATES else ""
    type_ = request.GET.get("type", "")
    type_ = type_ if type_ in ComplaintType.values else ""
    ordering = request.GET.get("ordering", "newest")
    ordering = ordering if ordering in PUBLIC_ORDERINGS else "newest"
    search = _text(request, "q")

    figures = business_figures(business.pk)
    complaints = published_complaints(business, status=status, type=type_, ordering=ordering, search=search)
    page = list_page(
        complaints,
        number=_page_number(request.GET.get("page")),
        per_page=PROFILE_PAGE_SIZE,
        total=None if search else figures.count(status=status or None, type=type_ or None),
    )
    return render(
        request,
        "businesses/profile.html",
        {
            "business": business,
            "locations": list(business.locations.all()),
            "figures": figures,
            "chart": monthly_chart(figures),
            "definitions": CLOSED_STATE_DEFINITIONS,
            "figure_definitions": FIGURE_DEFINITIONS,
            "page": page,
            "entries": published_entries(page.items, business_name=business.name),
            "filters": {"status": status, "type": type_, "ordering": ordering, "q": search},
            "filtered": bool(status or type_ or search),
            "status_choices": [(value, label) for value, label, _ in figures.status_rows],
            "type_choices": ComplaintType.choices,
        },
    )
