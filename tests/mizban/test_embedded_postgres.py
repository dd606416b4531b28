"""A machine without DATABASE_URL: the project starts its own PostgreSQL (pgserver) and migrates it."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_embedded_postgres_starts_and_takes_a_migration():
    data_dir = tempfile.mkdtemp(prefix="mizban-embedded-", dir="/tmp")
    os.chmod(data_dir, 0o755)  # pgserver may run the server as its own user when we are root
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(MIZBAN_DATA_DIR=data_dir, MIZBAN_NO_EMBEDDED_REDIS="1", DJANGO_ENV="development")
    try:
        migrated = _run(["manage.py", "migrate_schemas", "--shared", "--noinput", "-v", "1"], env)
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        assert "Applying tenants.0002_provinces... OK" in migrated.stdout
        probe = _run(
            ["-c", (
                "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'mizban.settings'; django.setup()\n"
                "from django.db import connection\n"
                "from tenants.models import Province\n"
                "cursor = connection.cursor(); cursor.execute('SHOW data_directory')\n"
                "print(cursor.fetchone()[0], Province.objects.count())"
            )],
            env,
        )
        assert probe.returncode == 0, probe.stderr[-2000:]
        data_directory, provinces = probe.stdout.strip().splitlines()[-1].split()
        assert data_directory == f"{data_dir}/postgres"
        assert provinces == "31"
    finally:
        _run(["-c", "from mizban.embedded import stop_postgres; stop_postgres()"], env)
        shutil.rmtree(data_dir, ignore_errors=True)
