# The outbox model moves to the core app (core 0001 takes it over); the table stays as it is.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_fewer_complaint_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboundEmail")],
            database_operations=[],
        ),
    ]
