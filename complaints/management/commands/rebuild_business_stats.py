"""Recount the public figures (day rows) of every business, or of the given slugs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts.models import Business
from complaints.services import business_stats_rebuild


class Command(BaseCommand):
    help = "Recount the BusinessStatsDay rows behind public profiles from the complaints themselves."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these businesses (all when none are given).")

    def handle(self, *args: Any, **options: Any) -> None:
        businesses = Business.objects.order_by("pk")
        if options["slugs"]:
            businesses = businesses.filter(slug__in=options["slugs"])
        for business in businesses.iterator():
            counted = business_stats_rebuild(business_id=business.pk)
            self.stdout.write(f"{business.slug}: {counted} published complaints counted")
