"""A release's rule (README, "Releases"): a migration that ships with new code only adds
(expand) — a nullable column, an index — so the code still running beside it keeps working;
what removes or renames waits for a later release (contract), once no old pod is left.

The old code is a real gunicorn serving this checkout, started before the migration exists
for it: its models know nothing of the new column, as the old pods' during a rolling release.
The new code is this test process with one more intake migration (a temporary migration
module), applied by `migrate_tenants` — the release's Job — while the old server serves.
The old server's tracking look-ups (the API, the tenant's tracking page, the platform's
look-up by code) answer the same before, while one schema is still behind, and after; its
/readyz stays ready throughout, while the new code's says not ready until every schema is
done. The same look-ups against a contract step taken too early (a renamed column) fail:
the rule, not luck, is what keeps the old pods answering."""

from __future__ import annotations

import io
import json
import shutil
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from tests.builders import NATIONAL_CODE
from tests.clients import host_client
from tests.outages import Citizen, Stack
from tests.workers import ROOT, database_url_for

APP = "intake"
LATEST = max(path.stem for path in (ROOT / APP / "migrations").glob("0*.py"))
EXPAND = f'''from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("intake", "{LATEST}")]
    operations = [
        migrations.AddField("servicerequest", "release_note", models.CharField(max_length=40, null=True)),
        migrations.AddIndex("servicerequest", models.Index(fields=["release_note"], name="intake_req_release_note_idx")),
    ]
'''
CONTRACT_TOO_EARLY = f'''from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("intake", "{LATEST}")]
    operations = [migrations.RenameField("servicerequest", "tracking_code", "code_for_tracking")]
'''
GAMMA = "gamma.localhost"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture
def old_server(_gamma, committed, tmp_path, settings):
    """The old code, serving: gunicorn on the session's database, gamma's portal on it."""
    stack = Stack(tmp_path, database_url=database_url_for(connection.settings_dict["NAME"]), redis_url=settings.REDIS_URL,
                  sms_url="http://127.0.0.1:9", INTAKE_TRACK_LIMIT_PER_CODE="100", INTAKE_TRACK_LIMIT_PER_IP="200")
    yield stack.start_web()
    stack.stop()


@pytest.fixture
def new_migration(committed, tmp_path):
    """`new_migration(text)`: intake's migrations in a temporary module with `text` as
    9001_release; the settings point at it until the test ends. Afterwards every schema goes
    back to intake's last migration and the template is stored again."""
    from tenants.models import MigrationCapture
    from tenants.provisioning import template_record, template_schema_name
    from tenants.schema_migrations import schema_states

    module = f"release_migrations_{uuid.uuid4().hex[:8]}"
    package = tmp_path / module
    shutil.copytree(ROOT / APP / "migrations", package, ignore=shutil.ignore_patterns("__pycache__"))
    sys.path.insert(0, str(tmp_path))
    override, enabled = override_settings(MIGRATION_MODULES={APP: module}), []

    def apply(text: str) -> None:
        (package / "9001_release.py").write_text(text)
        override.enable()
        enabled.append(True)

    try:
        yield apply
    finally:
        if enabled:
            try:
                for schema in [template_schema_name(), *(s.name for s in schema_states().schemas if s.live)]:
                    connection.set_schema(schema, include_public=True)
                    MigrationExecutor(connection).migrate([(APP, LATEST)])
                    connection.set_schema_to_public()
            finally:
                override.disable()
        template_record()
        MigrationCapture.objects.filter(app_label=APP, name="9001_release").delete()
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.startswith(module)]:
            del sys.modules[name]


def _submit(server: Stack) -> str:
    response = Citizen(server.url, GAMMA).submit(str(uuid.uuid4()), "09131119001")
    assert response.status_code == 201, response.text[:2000]
    return response.json()["tracking_code"]


def _look_ups(server: Stack, code: str) -> tuple[int, int, str, int, str]:
    """What the old code answers: the API's status and the request's code, the tracking page's
    status and whether it shows the request, the platform's redirect."""
    api = requests.post(f"{server.url}/api/requests/track/", json={"code": code, "identity": NATIONAL_CODE},
                        headers={"Host": GAMMA}, timeout=30)
    page = Citizen(server.url, GAMMA).post_form("/track/", {"code": code, "identity": NATIONAL_CODE})
    platform = Citizen(server.url, "localhost")
    platform.get("/")
    forwarded = platform.post_form("/track/", {"code": code})
    return (api.status_code, api.json().get("tracking_code") if api.status_code == 200 else api.text[:200],
            page.status_code, code in page.text, forwarded.status_code, forwarded.headers.get("Location", ""))


def _migrate(**options) -> None:
    call_command("migrate_tenants", skip_public=True, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def _ready(server: Stack) -> int:
    return requests.get(f"{server.url}/readyz", headers={"Host": "localhost"}, timeout=15).status_code


def _new_code_ready(settings) -> tuple[int, list]:
    response = host_client(settings.PLATFORM_DOMAIN).get("/readyz")
    return response.status_code, json.loads(response.content)["waiting_for"]


def _columns(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = 'intake_request'", [schema])
        return {row[0] for row in cursor.fetchall()}


def test_old_code_keeps_tracking_while_an_additive_migration_rolls_out(old_server, new_migration, settings):
    code = _submit(old_server)
    before = _look_ups(old_server, code)
    assert before[:5] == (200, code, 200, True, 302) and before[5].endswith(f"gamma.localhost:{old_server.port}/track/#{code}"), before
    assert _ready(old_server) == 200

    new_migration(EXPAND)
    assert _new_code_ready(settings)[0] == 503  # the new pods would wait for the Job

    # The Job's run with one tenant's table busy: gamma and the template migrate, beta stays behind.
    holder = psycopg.connect(database_url_for(connection.settings_dict["NAME"]))
    try:
        holder.execute('LOCK TABLE "t_beta".intake_request IN ACCESS EXCLUSIVE MODE')
        with pytest.raises(CommandError):
            _migrate(jobs=2, lock_timeout=0.2, attempts=1)
    finally:
        holder.rollback()
        holder.close()
    assert "release_note" in _columns("t_gamma") and "release_note" not in _columns("t_beta")
    assert _look_ups(old_server, code) == before  # the old code on a migrated schema
    assert _ready(old_server) == 200
    assert _new_code_ready(settings) == (503, ["tenant_schemas"])

    _migrate(jobs=2)
    assert "release_note" in _columns("t_beta")
    assert _look_ups(old_server, code) == before
    assert _ready(old_server) == 200 and _new_code_ready(settings) == (200, [])
    # The old code still writes, too: a submit leaves the new column empty.
    later = _submit(old_server)
    assert _look_ups(old_server, later)[:2] == (200, later)
    assert old_server.answered_500() == []


def test_a_contract_step_taken_too_early_breaks_the_old_code(old_server, new_migration):
    """The rule's other half, and what the test above would catch: renaming a column the old
    code reads, in the same release, fails its look-ups."""
    code = _submit(old_server)
    assert _look_ups(old_server, code)[0] == 200

    new_migration(CONTRACT_TOO_EARLY)
    _migrate(jobs=2)
    assert "code_for_tracking" in _columns("t_gamma")
    api_status = _look_ups(old_server, code)[0]
    assert api_status >= 500, api_status
