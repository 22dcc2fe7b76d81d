# Indexes the sweep wrote for nothing: an event's complaint is the first column of event_timeline_idx, a
# notification's user of notification_user_idx, and an event's actor is indexed only where there is one
# (the sweep's events have none). Each dropped index is a write fewer for every row a sweep stores.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def dropped(index, table, column):
    # Only the index goes: Django would drop and add the foreign key again, checking every row.
    return migrations.RunSQL(f'DROP INDEX IF EXISTS "{index}"', f'CREATE INDEX "{index}" ON "{table}" ("{column}")')


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0017_figures_count_outcomes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                dropped("complaints_complaintevent_actor_id_c0807bed", "complaints_complaintevent", "actor_id"),
                dropped("complaints_complaintevent_complaint_id_a1a34219", "complaints_complaintevent", "complaint_id"),
                dropped("complaints_notification_user_id_cd7a3118", "complaints_notification", "user_id"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='complaintevent',
                    name='actor',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
                migrations.AlterField(
                    model_name='complaintevent',
                    name='complaint',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='complaints.complaint'),
                ),
                migrations.AlterField(
                    model_name='notification',
                    name='user',
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='complaintevent',
            index=models.Index(condition=models.Q(('actor__isnull', False)), fields=['actor'], name='event_actor_idx'),
        ),
    ]
