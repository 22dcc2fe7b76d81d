"""API tokens are knox's hashed, expiring tokens now; the old plaintext ones are dropped.

The table of the former token app held every token in plaintext and they never expired, so none
is carried over: API clients sign in again (docs/api.md, "Signing in").
"""

from django.db import migrations


def drop_plaintext_tokens(apps, schema_editor):
    # SQLite (the embedded default) knows no CASCADE; nothing there refers to the table.
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TABLE IF EXISTS authtoken_token{cascade}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_invitation_bound_expiring_hashed")]

    operations = [
        migrations.RunPython(drop_plaintext_tokens, migrations.RunPython.noop),
    ]
