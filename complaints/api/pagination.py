"""Page-number pagination with a client-chosen page size and a described envelope."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page (at most 100; 20 by default)."
    max_page_size = 100

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
