# Masking reads text as a person would now (docs/domain.md, "Masking"): every stored masked copy
# is masked again and re-indexed, as `manage.py remask_complaints` does, page by page. The
# service reads only the columns it names, so later columns do not disturb it.

from django.db import migrations

from complaints.services.record import complaints_remask


def remask(apps, schema_editor):
    complaints_remask(size=200)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_figures_count_unanswered"),
        ("disputes", "0001_initial"),
        ("accounts", "0003_business_audit_log"),
    ]

    operations = [migrations.RunPython(remask, migrations.RunPython.noop)]
