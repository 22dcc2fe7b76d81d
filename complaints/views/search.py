"""The public search page: every published complaint, across businesses (docs/domain.md, "Search")."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.errors import InvalidInput
from core.throttles import SearchThrottle, page_throttle_refusal

from ..forms.search import SearchForm
from ..search import CANDIDATES, SearchPage, complaints_search, search_from


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """The form, and with a search the ranked results; the rate limit is the search API's."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    page: SearchPage | None = None
    if form.is_bound and form.is_valid():
        refusal = page_throttle_refusal(request, SearchThrottle)
        if refusal:
            form.add_error(None, refusal)
        else:
            parameters = form.parameters()
            if request.GET.get("page"):
                parameters["page"] = request.GET["page"]
            try:
                page = complaints_search(search_from(parameters))
            except InvalidInput as exc:
                for field, problems in exc.field_errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
    return render(request, "search/index.html", {"form": form, "page": page, "candidates": CANDIDATES})
