"""Invitations keep the SHA-256 of their token, expire, and can be withdrawn.

Existing invitations keep working through the links already e-mailed: their token is hashed in
place, and they expire 7 days after they were created (docs/domain.md, "Invitations").
"""

import datetime
import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def hash_and_expire(apps, schema_editor):
    Invitation = apps.get_model("accounts", "Invitation")
    for invitation in Invitation.objects.all().only("pk", "token", "created_at"):
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.expires_at = invitation.created_at + datetime.timedelta(days=7)
        invitation.save(update_fields=["token_hash", "expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_business_audit_log"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(max_length=64, null=True, help_text="SHA-256 of the e-mailed token."),
        ),
        migrations.AddField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="invitation",
            name="revoked_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(hash_and_expire, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="token"),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True, help_text="SHA-256 of the e-mailed token."),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="businessauditentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("alert_set", "Alert banner published"),
                    ("alert_cleared", "Alert banner removed"),
                    ("representative_approved", "Request to represent approved"),
                    ("representative_refused", "Request to represent refused"),
                    ("representative_added", "Representative added by staff"),
                    ("representative_removed", "Representative removed by staff"),
                    ("invitation_sent", "Invitation sent"),
                    ("invitation_accepted", "Invitation accepted"),
                    ("invitation_revoked", "Invitation withdrawn"),
                    ("data_exported", "Data exported"),
                ],
                max_length=30,
            ),
        ),
    ]
