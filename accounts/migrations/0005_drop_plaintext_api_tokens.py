"""API tokens are knox's hashed, expiring tokens now; the old plaintext ones are dropped.

The table of the former token app held every token in plaintext and they never expired, so none
is carried over: API clients sign in again (docs/api.md, "Signing in").
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_invitation_bound_expiring_hashed")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token CASCADE", reverse_sql=migrations.RunSQL.noop),
    ]
