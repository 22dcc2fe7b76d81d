"""The embedded default (SQLite, `config.settings.local`) migrates from nothing, seeds its demo and finds its pattern.

The suite runs on PostgreSQL; this runs the README's first command's database steps in a
subprocess on a fresh SQLite file, so that a migration written only for PostgreSQL fails here
rather than on a newcomer's machine.
"""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_migrate_and_seed_demo_on_a_fresh_sqlite_database(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redress.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    for command in (["migrate", "--noinput"], ["seed_demo"], ["detect_patterns"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # The demo's wave of suspensions at Gigwork Market opens its review on SQLite too.
    assert "Gigwork Market, Account Access or Suspension: 11 this week" in result.stdout
    assert (tmp_path / "redress.sqlite3").stat().st_size > 100_000
