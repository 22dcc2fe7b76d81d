# Masking reads text as a person would now (docs/domain.md, "Masking"): every stored masked copy
# is masked again and re-indexed, as `manage.py remask_complaints` does, page by page. The
# service reads only the columns it names, so later columns do not disturb it; it does read every
# thread model, so it runs after the migrations that create them (information from the business).

from django.db import migrations

from complaints.services.record import complaints_remask


def remask(apps, schema_editor):
    # The public response's columns come in 0015: they are left out here.
    complaints_remask(size=200, public_responses=False)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0010_desired_outcomes"),
        ("disputes", "0002_business_information"),
        ("accounts", "0006_account_deleted_kind"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
