# The response figures gain a `counted` counter (docs/domain.md, "Figures"): every business's day
# rows are recounted from its complaints, as `manage.py rebuild_business_stats` does.

from django.db import migrations

from complaints.publication import stats_days_count

PUBLIC = ("resolved", "answered", "unanswered", "unresolved", "unpursuable")


def recount(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    BusinessStatsDay = apps.get_model("complaints", "BusinessStatsDay")
    business_ids = BusinessStatsDay.objects.values_list("business_id", flat=True).distinct()
    for business_id in list(business_ids):
        rows = (
            Complaint.objects.filter(business_id=business_id, status__in=PUBLIC, closed_at__isnull=False)
            .values_list("status", "type", "closed_at", "filed_at", "forwarded_at", "first_response_at")
            .iterator(chunk_size=5000)
        )
        days, _ = stats_days_count(rows)
        BusinessStatsDay.objects.filter(business_id=business_id).delete()
        BusinessStatsDay.objects.bulk_create(
            [BusinessStatsDay(business_id=business_id, day=day, counts=counts) for day, counts in days.items()],
            batch_size=5000,
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_timeline_chain")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
