"""/readyz: may this process take traffic? `/healthz` is the liveness answer (is it alive,
what is down); readiness asks more, and answers 503 until all of it holds:

- PostgreSQL answers;
- Redis answers (where one is configured);
- every migration of the shared apps this code knows is applied to the public schema;
- the template schema holds every migration this code knows, and is stored for onboarding
  (tenants.TemplateSchema) under this code's migrations fingerprint, or under a newer
  release's when that release migrated it further;
- every tenant and spare schema is at the template's state or at this code's.

On the platform domain only (what the probes ask for): its answer counts lagging schemas and
names none.

"Every migration this code knows", not "the same migrations": during a release the migration
job brings the database to the new code while the old pods still serve (README, "Releases":
expand, then contract). The old code's migrations are then a subset of what is applied, and
its pods stay ready; the new code's pods become ready only once `migrate_tenants` finished.
A tenant schema is either untouched by the run (it holds exactly the old code's migrations)
or fully migrated (the template's), since each schema migrates in one transaction.
"""

from __future__ import annotations

import time
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from mizban.health import _check_postgres, _check_redis
from tenants.models import TemplateSchema
from tenants.provisioning import migrations_fingerprint, quote_name, template_schema_name
from tenants.schema_migrations import schema_states


@lru_cache(maxsize=1)
def known_migrations() -> frozenset[tuple[str, str]]:
    """Every (app, migration) on disk: a public or tenant schema records all of them, the
    router deciding which ones change tables there. Loaded once per process."""
    from django.db.migrations.loader import MigrationLoader

    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _shared_labels() -> set[str]:
    """Apps with tables in the public schema: a tenant-only app's migration is recorded there
    too, but changes nothing there (`migrate_tenants --skip-public` leaves it unrecorded)."""
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name in settings.SHARED_APPS}


@receiver(setting_changed)
def _migrations_changed(*, setting, **kwargs):
    if setting == "MIGRATION_MODULES":  # a test's temporary migrations are other code
        known_migrations.cache_clear()


def _applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {quote_name(schema)}.django_migrations")
        return {tuple(row) for row in cursor.fetchall()}


def _missing_words(missing: set[tuple[str, str]]) -> str:
    names = sorted(f"{app}.{name}" for app, name in missing)
    return f"{len(names)} not applied: " + ", ".join(names[:5]) + (" …" if len(names) > 5 else "")


def _known_md5(known: frozenset[tuple[str, str]]) -> str:
    """md5 of this code's migrations as tenants.schema_migrations fingerprints a schema's
    django_migrations (ordered by PostgreSQL's collation, so computed by PostgreSQL)."""
    apps, names = zip(*sorted(known)) if known else ((), ())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(coalesce(string_agg(a || '.' || n, ',' ORDER BY a, n), ''))"
            " FROM unnest(%s::text[], %s::text[]) AS t(a, n)",
            [list(apps), list(names)],
        )
        return cursor.fetchone()[0]


def _template_state(applied: set[tuple[str, str]], known: frozenset[tuple[str, str]]) -> str:
    if missing := known - applied:
        return _missing_words(missing)
    stored = TemplateSchema.objects.all()
    if applied - known:  # a newer release migrated it (and stored it under its fingerprint)
        return "ok" if stored.exists() else "not stored for onboarding"
    if not stored.filter(fingerprint=migrations_fingerprint()).exists():
        return "not stored for onboarding under this code's migrations"
    return "ok"


def _check_migrations() -> dict[str, str]:
    """public, template and tenants: "ok" or what is missing."""
    if connection.schema_name != "public":
        connection.set_schema_to_public()
    known = known_migrations()
    checks = {}
    shared = _shared_labels()
    missing = {key for key in known if key[0] in shared} - _applied("public")
    checks["public_schema"] = "ok" if not missing else _missing_words(missing)

    template = template_schema_name()
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"{quote_name(template)}.django_migrations"])
        exists = cursor.fetchone()[0]
    template_applied = _applied(template) if exists else set()
    checks["template_schema"] = _template_state(template_applied, known) if exists else f"missing: {template}"

    # A schema is current when it holds this code's migrations exactly (untouched by a newer
    # release's run) or the template's, when the template holds all of this code's.
    overview = schema_states()
    accepted = {_known_md5(known)} | ({overview.target} if known <= template_applied else set())
    behind = [s.name for s in overview.schemas if s.live is None or s.live not in accepted]
    # A count, never the names: the answer is public, and which tenants lag is the console's
    # (/console/migrations/).
    checks["tenant_schemas"] = "ok" if not behind else f"{len(behind)} of {len(overview.schemas)} not migrated"
    return checks


@never_cache
def readyz(request):
    started = time.monotonic()
    checks = {"postgres": _check_postgres(), "redis": _check_redis()}
    if checks["postgres"] == "ok":
        try:
            checks.update(_check_migrations())
        except Exception as error:  # report, never raise: the answer says what is wrong
            checks["migrations"] = f"error: {error.__class__.__name__}"
    else:
        checks["migrations"] = "not checked: PostgreSQL does not answer"
    waiting = [name for name, state in checks.items() if state not in ("ok", "not configured")]
    body = {
        "status": "ready" if not waiting else "not ready",
        "checks": checks,
        "waiting_for": waiting,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if not waiting else 503)
