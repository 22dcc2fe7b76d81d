"""The daily figures behind the public profiles, read-only."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from ..models import BusinessStatsDay


@admin.register(BusinessStatsDay)
class BusinessStatsDayAdmin(ReadOnlyAdmin):
    """The daily figures behind each public profile, kept by the publication service."""

    list_display = ["day", "business", "counts"]
    list_select_related = ["business"]
    list_filter = ["business"]
    date_hierarchy = "day"
