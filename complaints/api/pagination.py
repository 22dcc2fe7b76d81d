"""Page-number pagination with a client-chosen page size and a described envelope."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination

from complaints.selectors.public import page_rows


class IdsFirstPaginator(Paginator):
    """Fetches a page's ids first, then its rows (complaints.selectors.public.page_rows): deep pages stay cheap."""

    def page(self, number: Any) -> Page:
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(page_rows(self.object_list, bottom, top - bottom), number, self)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page (at most 100; 20 by default)."
    max_page_size = 100
    # Set by a view that already knows the total (the public list, from the figures): no COUNT(*).
    known_count: int | None = None

    def django_paginator_class(self, object_list: Any, per_page: int) -> Paginator:  # type: ignore[override]
        if self.known_count is None:
            return Paginator(object_list, per_page)
        paginator = IdsFirstPaginator(object_list, per_page)
        paginator.count = self.known_count  # type: ignore[misc]
        return paginator

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        descriptions = {
            "count": "How many items match, over all pages.",
            "next": "The URL of the next page; null on the last.",
            "previous": "The URL of the previous page; null on the first.",
            "results": "The items of this page.",
        }
        for name, description in descriptions.items():
            envelope["properties"][name]["description"] = description
        return envelope
