# The timeline becomes a hash chain (complaints.timeline) and append-only in the database.
# Existing events are chained in their (created_at, id) order before the trigger is installed.

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

from complaints.timeline import chain_hash, event_content
from core.bulk import bulk_set


def chain_existing_events(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    events = ComplaintEvent.objects.order_by("complaint_id", "created_at", "id").values_list(
        "id", "complaint_id", "complaint__number", "event", "actor_id", "actor_role", "from_status",
        "to_status", "reason", "data", "created_at",
    )
    heads: dict[int, str] = {}
    hashed = []
    for pk, complaint_id, number, kind, actor_id, role, source, target, reason, data, created_at in events.iterator(
        chunk_size=5000
    ):
        content = event_content(
            number=number, event=kind, actor_id=actor_id, actor_role=role, from_status=source,
            to_status=target, reason=reason, data=data, created_at=created_at,
        )
        heads[complaint_id] = chain_hash(heads.get(complaint_id, ""), content)
        hashed.append(ComplaintEvent(pk=pk, hash=heads[complaint_id]))
        if len(hashed) >= 5000:
            bulk_set(hashed, ["hash"])
            hashed = []
    bulk_set(hashed, ["hash"])
    # One `UPDATE ... FROM (VALUES ...)` per 5,000 rows (core/bulk.py): `bulk_update` builds a
    # `CASE WHEN` branch per row, which made this step slow on a database of a million complaints.
    head_rows = [Complaint(pk=pk, timeline_head=head) for pk, head in heads.items()]
    for start in range(0, len(head_rows), 5000):
        bulk_set(head_rows[start : start + 5000], ["timeline_head"])


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0007_outbox_moves_to_core'),
    ]

    operations = [
        migrations.AddField(
            model_name='complaint',
            name='timeline_head',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='complaintevent',
            name='hash',
            field=models.CharField(blank=True, db_default='', editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name='complaintevent',
            name='complaint',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='complaints.complaint'),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        pgtrigger.migrations.AddTrigger(
            model_name='complaintevent',
            trigger=pgtrigger.compiler.Trigger(name='event_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='6c5223b53c5c7d92c65404186fac920fcb24899e', operation='UPDATE OR DELETE', pgid='pgtrigger_event_append_only_e01bf', table='complaints_complaintevent', when='BEFORE')),
        ),
    ]
