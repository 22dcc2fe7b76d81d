# An e-mail's resend links are indexed only where set: a sweep stores 30,000 e-mails, none of them a
# resend, and each entry of an index on a NULL column was a write of its own.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def dropped(index, column):
    # Only the index goes: Django would drop and add the foreign key again, checking every row.
    table = "complaints_outboundemail"
    return migrations.RunSQL(f'DROP INDEX IF EXISTS "{index}"', f'CREATE INDEX "{index}" ON "{table}" ("{column}")')


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0018_fewer_event_and_notice_indexes'),
        ('core', '0004_outbound_email_user_and_headers'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                dropped("complaints_outboundemail_resend_of_id_32b90cf4", "resend_of_id"),
                dropped("complaints_outboundemail_resent_by_id_b806d137", "resent_by_id"),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name='outboundemail',
                    name='resend_of',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='resends', to='core.outboundemail'),
                ),
                migrations.AlterField(
                    model_name='outboundemail',
                    name='resent_by',
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name='outboundemail',
            index=models.Index(condition=models.Q(('resend_of__isnull', False)), fields=['resend_of'], name='email_resend_idx'),
        ),
        migrations.AddIndex(
            model_name='outboundemail',
            index=models.Index(condition=models.Q(('resent_by__isnull', False)), fields=['resent_by'], name='email_resent_by_idx'),
        ),
    ]
