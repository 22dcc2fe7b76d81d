"""Recount the public figures (day rows and summary) of every business, or of the given slugs."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Business
from complaints.services import business_stats_rebuild, stats_summary_recount, stats_summary_stored


class Command(BaseCommand):
    help = (
        "Recount the BusinessStatsDay rows and BusinessStatsSummary behind public profiles from the complaints "
        "themselves; with --check, only compare each summary with a recount of its day rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slugs", nargs="*", help="Only these businesses (all when none are given).")
        parser.add_argument(
            "--check", action="store_true", help="Write nothing; fail if a summary differs from its day rows."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        businesses = Business.objects.order_by("pk")
        if options["slugs"]:
            businesses = businesses.filter(slug__in=options["slugs"])
        if options["check"]:
            self.check_summaries(businesses)
            return
        for business in businesses.iterator():
            counted = business_stats_rebuild(business_id=business.pk)
            self.stdout.write(f"{business.slug}: {counted} published complaints counted")

    def check_summaries(self, businesses: Any) -> None:
        differing = []
        for business in businesses.iterator():
            recount = stats_summary_recount(business_id=business.pk)
            stored = stats_summary_stored(business_id=business.pk)
            if stored is None:
                same = not recount.counts
            else:
                same = (stored.counts, stored.months, stored.recent) == (recount.counts, recount.months, recount.recent)
            if not same:
                differing.append(business.slug)
                self.stdout.write(f"{business.slug}: summary differs from its day rows")
        if differing:
            raise CommandError(f"{len(differing)} summaries differ; run rebuild_business_stats {' '.join(differing)}")
        self.stdout.write("Every summary agrees with its day rows.")
