# More than one desired outcome (docs/domain.md, "Complaint"): `desired_outcomes` holds the list,
# main one first. Every existing complaint gets the list of its one outcome, in one statement.

from django.db import migrations, models


def fill(apps, schema_editor):
    # Only rows whose list is still empty: running it again changes nothing.
    if schema_editor.connection.vendor == "postgresql":
        array, empty = "jsonb_build_array", "'[]'::jsonb"
    else:
        array, empty = "json_array", "'[]'"
    table = schema_editor.quote_name(apps.get_model("complaints", "Complaint")._meta.db_table)
    schema_editor.execute(
        f"UPDATE {table} SET desired_outcomes = {array}(desired_outcome)"
        f" WHERE desired_outcomes = {empty} AND desired_outcome <> ''"
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0009_figures_count_unanswered")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="desired_outcomes",
            field=models.JSONField(blank=True, db_default=models.Value([], models.JSONField()), default=list),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
