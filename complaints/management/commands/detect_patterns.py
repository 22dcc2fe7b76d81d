"""Run the weekly comparison once, as the beat task does: open a review for each rise beyond chance."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from complaints.services.patterns import pattern_reviews_open_due


class Command(BaseCommand):
    help = "Compare each business's last seven days of complaints with its twelve weeks before; open pattern reviews."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = pattern_reviews_open_due()
        for review in opened:
            self.stdout.write(
                f"Opened review #{review.pk}: {review.business.name}, {review.scope_label}: {review.observed} "
                f"this week against {review.baseline_mean:.1f} a week (p = {review.p_value:.2g})"
            )
        self.stdout.write(f"{len(opened)} pattern review(s) opened.")
