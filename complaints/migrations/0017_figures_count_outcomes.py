# The figures gain the business's outcomes (docs/domain.md, "Figures"): `o:<outcome>` counters
# and the monetary relief per currency in every day row. Each business's day rows are recounted
# from its complaints, as `manage.py rebuild_business_stats` does, and its summary is counted
# again from them, as 0016 counted it; its public version moves on, so its profile's ETag changes.

from django.conf import settings
from django.db import migrations
from django.db.models import F

PUBLIC = ("resolved", "answered", "unanswered", "unresolved", "unpursuable")
# The complaint columns of complaints.publication.Facts, in its order, as they are at this migration.
COLUMNS = (
    "status",
    "type",
    "closed_at",
    "filed_at",
    "forwarded_at",
    "first_response_at",
    "business_outcome",
    "relief_amount",
    "currency",
)


def recount(apps, schema_editor):
    from complaints.publication import stats_days_count, summary_counted, window_start_day

    Business = apps.get_model("accounts", "Business")
    Complaint = apps.get_model("complaints", "Complaint")
    BusinessStatsDay = apps.get_model("complaints", "BusinessStatsDay")
    BusinessStatsSummary = apps.get_model("complaints", "BusinessStatsSummary")
    since, recent_since = window_start_day(settings.REDRESS_PUBLICATION_MONTHS), window_start_day(12)
    business_ids = list(BusinessStatsDay.objects.values_list("business_id", flat=True).distinct().order_by())
    for business_id in business_ids:
        rows = (
            Complaint.objects.filter(business_id=business_id, status__in=PUBLIC, closed_at__isnull=False)
            .values_list(*COLUMNS)
            .iterator(chunk_size=5000)
        )
        days, _ = stats_days_count(rows)
        BusinessStatsDay.objects.filter(business_id=business_id).delete()
        BusinessStatsDay.objects.bulk_create(
            [BusinessStatsDay(business_id=business_id, day=day, counts=counts) for day, counts in days.items()],
            batch_size=5000,
        )
        summary = summary_counted(
            [(day, counts) for day, counts in days.items() if day >= min(since, recent_since)], since, recent_since
        )
        BusinessStatsSummary.objects.update_or_create(
            business_id=business_id,
            defaults={
                "since": summary.since,
                "recent_since": summary.recent_since,
                "counts": summary.counts,
                "months": summary.months,
                "recent": summary.recent,
            },
        )
    Business.objects.filter(pk__in=business_ids).update(public_version=F("public_version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_user_time_zone"),
        ("complaints", "0016_business_stats_summary"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
