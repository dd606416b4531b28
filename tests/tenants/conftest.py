"""Fixtures of the tenants tests: temporary migrations for `migrate_tenants`."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from tenants.models import MigrationCapture, SpareSchema
from tenants.provisioning import quote_name, template_record, template_schema_name
from tenants.schema_migrations import schema_states

APP = "portal_themes"
# The app's own last migration, which the temporary ones follow and every schema goes back to.
LATEST = max(path.stem for path in (Path(__file__).resolve().parents[2] / APP / "migrations").glob("0*.py"))
ADDITIVE = f'''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("portal_themes", "{LATEST}")]
    operations = [
        migrations.AddField("theme", "tmp_note", models.CharField(max_length=40, null=True)),
        migrations.AddIndex("theme", models.Index(fields=["tmp_note"], name="portal_theme_tmp_note_idx")),
    ]
'''
DATA = '''from django.db import migrations


def fill(apps, schema_editor):
    apps.get_model("portal_themes", "Theme").objects.update(tmp_note="filled by RunPython")


class Migration(migrations.Migration):
    dependencies = [("portal_themes", "9001_tmp_note")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
'''


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Database access without the test's transaction: `migrate_tenants` migrates on its own
    connections, which see only committed schemas, and commits each schema."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture
def spare(committed):
    """One committed spare schema, dropped after the test."""
    from tenants.spares import spares_refill

    spares_refill(target=1, parallel=1)
    name = SpareSchema.objects.values_list("name", flat=True).get()
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote_name(name)} CASCADE")
    SpareSchema.objects.filter(name=name).delete()


@pytest.fixture
def temporary_migrations(committed, tmp_path):
    """portal_themes' migrations in a temporary module (MIGRATION_MODULES) with two more: a
    nullable column and its index (plain SQL), and a RunPython filling it. Afterwards every
    schema is migrated back through Django's executor and the template stored again."""
    module = f"tmp_migrations_{uuid.uuid4().hex[:8]}"
    package = tmp_path / module
    shutil.copytree(Path(__import__(f"{APP}.migrations").__file__).parent / "migrations", package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (package / "9001_tmp_note.py").write_text(ADDITIVE)
    (package / "9002_tmp_fill.py").write_text(DATA)
    sys.path.insert(0, str(tmp_path))
    try:
        with override_settings(MIGRATION_MODULES={APP: module}):
            yield [(APP, "9001_tmp_note"), (APP, "9002_tmp_fill")]
            for schema in [template_schema_name(), *(s.name for s in schema_states().schemas if s.live)]:
                connection.set_schema(schema, include_public=True)
                executor = MigrationExecutor(connection)
                executor.migrate([(APP, LATEST)])
                connection.set_schema_to_public()
        template_record()
        MigrationCapture.objects.filter(app_label=APP, name__startswith="900").delete()
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(module)]:
            del sys.modules[name]
